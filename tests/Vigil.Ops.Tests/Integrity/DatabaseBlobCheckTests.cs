using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Ops.Alerts;
using Vigil.Ops.Integrity;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Integrity;

/// <summary>The blob re-hash of the integrity scan covers bodies kept in the database
/// (<c>blob_inline</c>), stored through the real <see cref="InlineBlobStore"/> and altered behind
/// Vigil's back with a plain SQL UPDATE.</summary>
public sealed class DatabaseBlobCheckTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-dbblobs-").FullName;
    private SqliteDatabase _db = null!;
    private InlineBlobStore _store = null!;

    public Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _store = new InlineBlobStore(new FileBlobStore(Path.Combine(_dir, "blobs")), _db);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<List<BlobId>> StoreAsync(int count)
    {
        var ids = new List<BlobId>();
        for (var i = 0; i < count; i++)
        {
            await using var w = _store.CreateWriter();
            await w.WriteAsync(Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n"), default);
            ids.Add(await w.CommitAsync(default));
        }
        // Bodies reach the table with the writer's next transaction (the row that names them).
        await new SqliteDirectoryStore(_db).AddDomainAsync("example.test", default);
        return ids;
    }

    private void Tamper(BlobId id, string content)
    {
        using var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE blob_inline SET data = $data WHERE id = $id";
        cmd.Parameters.AddWithValue("$data", Encoding.ASCII.GetBytes(content));
        cmd.Parameters.AddWithValue("$id", id.Hex);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private IntegrityScanner.Result Scan(bool verifyBlobs = true) =>
        new IntegrityScanner(new IntegrityOptions(_dir, Path.Combine(_dir, "no-program"), Path.Combine(_dir, "no.key"), TimeSpan.FromMinutes(10), true, 20, TimeSpan.FromSeconds(60)),
            new SqliteDatabaseBlobs(_db)).Scan(verifyBlobs);

    private static List<IntegrityFinding> BlobFindings(IntegrityScanner.Result result) =>
        result.Findings.Where(f => f.Kind is AlertKinds.BlobMismatch or AlertKinds.BlobBurst).ToList();

    [Fact]
    public async Task An_untampered_store_has_every_row_re_hashed_and_no_finding()
    {
        await StoreAsync(3);
        var result = Scan();
        Assert.Empty(BlobFindings(result));
        Assert.Equal(3, result.BlobsVerified);
        Assert.Equal(0, Directory.Exists(Path.Combine(_dir, "blobs")) ? Directory.EnumerateFiles(Path.Combine(_dir, "blobs"), "*", SearchOption.AllDirectories).Count() : 0);
    }

    [Fact]
    public async Task A_row_rewritten_with_sql_is_reported_as_that_blob_in_the_database()
    {
        // More rows than one page, the altered one in the last page: every page is read.
        var ids = await StoreAsync(SqliteDatabaseBlobs.PageSize * 2 + 10);
        var victim = ids.OrderBy(i => i.Hex, StringComparer.Ordinal).ElementAt(SqliteDatabaseBlobs.PageSize * 2 + 5);
        Tamper(victim, "Subject: ransom\r\n\r\npay up\r\n");

        var result = Scan();
        var finding = Assert.Single(BlobFindings(result));
        Assert.Equal(AlertKinds.BlobMismatch, finding.Kind);
        Assert.Equal($"vigil.db:blob_inline/{victim.Hex}", finding.Subject);
        Assert.Contains("content no longer matches its name", finding.Detail, StringComparison.Ordinal);
        Assert.Contains(BlobId.Compute(Encoding.ASCII.GetBytes("Subject: ransom\r\n\r\npay up\r\n")).Hex[..12], finding.Detail, StringComparison.Ordinal);
        Assert.Equal(ids.Count, result.BlobsVerified);
        Assert.Empty(BlobFindings(Scan(verifyBlobs: false))); // re-hashing stays opt-in, as for files
    }
}
