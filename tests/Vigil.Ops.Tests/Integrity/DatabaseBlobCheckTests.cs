using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Core.Accounts;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Ops.Alerts;
using Vigil.Ops.Integrity;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Ops.Tests.Integrity;

/// <summary>The integrity scan and bodies kept in the database (<c>blob_inline</c>), stored
/// through the real <see cref="InlineBlobStore"/> and altered behind Vigil's back with plain SQL:
/// a rewritten row is found by the re-hash, a deleted one (or a deleted file body) by the check
/// for missing bodies.</summary>
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

    /// <summary>Tampering behind Vigil's back: a plain SQL statement on its own connection.</summary>
    private void Sql(string sql, params (string Name, object Value)[] args)
    {
        using var c = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        Assert.Equal(1, cmd.ExecuteNonQuery());
    }

    private void Tamper(BlobId id, string content) =>
        Sql("UPDATE blob_inline SET data = $data WHERE id = $id", ("$data", Encoding.ASCII.GetBytes(content)), ("$id", id.Hex));

    /// <summary>Delivers messages of the given sizes as the server does: body through the store,
    /// then the row that names it.</summary>
    private async Task<List<BlobId>> DeliverAsync(params int[] sizes)
    {
        var directory = new SqliteDirectoryStore(_db);
        if (await directory.GetAccountAsync("bob", "example.test", default) is not { } bob)
        {
            await directory.AddDomainAsync("example.test", default);
            bob = await directory.AddAccountAsync(new NewAccount("bob", "example.test", "x", 0, false, DefaultMailbox.Standard), default);
        }
        var ids = new List<BlobId>();
        var batch = new List<NewMessage>();
        foreach (var (size, i) in sizes.Select((s, i) => (s, i)))
        {
            var body = Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\n" + new string('x', size) + $" {i}\r\n");
            await using var w = _store.CreateWriter();
            await w.WriteAsync(body, default);
            var id = await w.CommitAsync(default);
            ids.Add(id);
            batch.Add(new NewMessage(bob.Id, Mailbox.Inbox, id, body.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], $"{i}", null));
        }
        await new SqliteMessageStore(_db).AppendAsync(batch, default);
        return ids;
    }

    [Fact]
    public async Task A_scan_stops_when_cancelled()
    {
        await StoreAsync(3);
        Assert.True(Scan().DataEntries > 0);
        Assert.Throws<OperationCanceledException>(() => Scan(ct: new CancellationToken(canceled: true)));
    }

    private List<IntegrityFinding> Missing() =>
        new IntegrityScanner(new IntegrityOptions(_dir, Path.Combine(_dir, "no-program"), Path.Combine(_dir, "no.key"), TimeSpan.FromMinutes(10), false, 20, TimeSpan.FromSeconds(60)),
            new SqliteDatabaseBlobs(_db)).Scan(verifyBlobs: false).Findings.Where(f => f.Kind == AlertKinds.BlobMissing).ToList();

    private IntegrityScanner.Result Scan(bool verifyBlobs = true, CancellationToken ct = default) =>
        new IntegrityScanner(new IntegrityOptions(_dir, Path.Combine(_dir, "no-program"), Path.Combine(_dir, "no.key"), TimeSpan.FromMinutes(10), true, 20, TimeSpan.FromSeconds(60)),
            new SqliteDatabaseBlobs(_db)).Scan(verifyBlobs, ct);

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

    [Fact]
    public async Task Bodies_deleted_from_the_database_or_the_blob_folder_are_found_by_the_full_scan()
    {
        // More small bodies than one page, and one body too big for the database (a file).
        var small = await DeliverAsync(Enumerable.Repeat(100, SqliteDatabaseBlobs.PageSize * 2 + 10).ToArray());
        var big = (await DeliverAsync(InlineBlobStore.DefaultInlineLimit + 1000))[0];
        Assert.True(File.Exists(Path.Combine(_dir, "blobs", big.Hex[..2], big.Hex)));
        Assert.Empty(Missing());

        var row = small.OrderBy(i => i.Hex, StringComparer.Ordinal).Last();
        Sql("DELETE FROM blob_inline WHERE id = $id", ("$id", row.Hex));
        File.Delete(Path.Combine(_dir, "blobs", big.Hex[..2], big.Hex));

        var missing = Missing();
        var expected = new[] { big, row }.Select(b => $"blobs/{b.Hex[..2]}/{b.Hex}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, missing.Select(f => f.Subject).Order(StringComparer.Ordinal));
        Assert.All(missing, f => Assert.Contains("body is gone", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_body_named_only_by_a_message_that_was_expunged_is_not_missing()
    {
        var ids = await DeliverAsync(100, 200);
        var bob = (await new SqliteDirectoryStore(_db).GetAccountAsync("bob", "example.test", default))!;
        var messages = new SqliteMessageStore(_db);
        var inbox = (await messages.GetMailboxAsync(bob.Id, Mailbox.Inbox, default))!;
        await messages.ExpungeAsync(bob.Id, inbox.Id, [1], default);
        Sql("DELETE FROM blob_inline WHERE id = $id", ("$id", ids[0].Hex));
        Assert.Empty(Missing());
    }
}
