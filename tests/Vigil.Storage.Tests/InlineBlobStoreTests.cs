using System.Text;
using Microsoft.Data.Sqlite;
using Vigil.Core.Model;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Backup;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests;

public sealed class InlineBlobStoreTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-inline-").FullName;
    private SqliteDatabase _db = null!;
    private FileBlobStore _files = null!;
    private InlineBlobStore _store = null!;

    public Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(Path.Combine(_dir, "vigil.db"));
        _files = new FileBlobStore(Path.Combine(_dir, "blobs"));
        _store = new InlineBlobStore(_files, _db, inlineLimit: 1024);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<BlobId> PutAsync(byte[] content, int chunk = 300)
    {
        await using var w = _store.CreateWriter();
        for (var i = 0; i < content.Length; i += chunk) await w.WriteAsync(content.AsMemory(i, Math.Min(chunk, content.Length - i)), default);
        Assert.Equal(content.Length, w.Length);
        return await w.CommitAsync(default);
    }

    private byte[] Read(BlobId id)
    {
        using var s = _store.OpenRead(id) ?? throw new FileNotFoundException(id.Hex);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private long InlineRows()
    {
        using var c = _db.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM blob_inline";
        return (long)cmd.ExecuteScalar()!;
    }

    private Task NextWriteAsync() => new SqliteDirectoryStore(_db).AddDomainAsync($"d{Guid.NewGuid():N}.test", default);

    private int Files() => Directory.EnumerateFiles(_files.Root, "*", SearchOption.AllDirectories).Count();

    [Fact]
    public async Task A_body_up_to_the_limit_is_a_row_not_a_file_and_reads_back_byte_for_byte()
    {
        var content = Encoding.ASCII.GetBytes(new string('a', 1015) + "\r\n.\r\n\0end"); // exactly the limit
        var id = await PutAsync(content);

        Assert.Equal(BlobId.Compute(content), id);
        // Readable at once; written to the database by the writer's next transaction (the one
        // that stores the row naming it), not by a commit of its own.
        Assert.Equal(content, Read(id));
        Assert.Equal(0, InlineRows());
        await NextWriteAsync();
        Assert.Equal(1, InlineRows());
        Assert.Equal(content, Read(id));
        Assert.True(_store.Exists(id));
        Assert.Equal(1024, _store.GetSize(id));
        Assert.Equal(0, Files());
        Assert.Equal(id, await PutAsync(content)); // same content, same blob, still one row
        await NextWriteAsync();
        Assert.Equal(1, InlineRows());
    }

    [Fact]
    public async Task A_body_past_the_limit_moves_to_a_file_mid_stream_and_reads_back_byte_for_byte()
    {
        var content = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var id = await PutAsync(content, chunk: 700); // the write that passes 1,024 bytes spills

        Assert.Equal(BlobId.Compute(content), id);
        Assert.Equal(content, Read(id));
        Assert.Equal(5000, _store.GetSize(id));
        Assert.Equal(0, InlineRows());
        Assert.True(File.Exists(_files.PathOf(id)));
    }

    [Fact]
    public async Task A_small_body_kept_as_a_file_still_reads_and_one_in_both_places_reads_the_same()
    {
        // Files written before bodies moved into the database, and restores, which write files.
        var old = Encoding.ASCII.GetBytes("Subject: old\r\n\r\nkept as a file\r\n");
        BlobId oldId;
        await using (var w = _files.CreateWriter())
        {
            await w.WriteAsync(old, default);
            oldId = await w.CommitAsync(default);
        }
        Assert.Equal(old, Read(oldId));
        Assert.True(_store.Exists(oldId));
        Assert.Equal(old.Length, _store.GetSize(oldId));

        Assert.Equal(oldId, await PutAsync(old)); // now a row as well
        await NextWriteAsync();
        Assert.Equal(1, InlineRows());
        Assert.Equal(old, Read(oldId));
        Assert.Equal(old, Read(oldId)); // the second read comes from the cache of recent bodies
    }

    [Fact]
    public void A_pooled_connection_handed_out_again_keeps_its_pragmas()
    {
        for (var i = 0; i < 3; i++)
        {
            using var c = _db.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA foreign_keys";
            Assert.Equal(1L, (long)cmd.ExecuteScalar()!);
            cmd.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30000L, (long)cmd.ExecuteScalar()!);
        }
    }

    [Fact]
    public async Task An_uncommitted_body_leaves_nothing_and_an_unknown_blob_is_absent()
    {
        await using (var w = _store.CreateWriter()) await w.WriteAsync(new byte[100], default);
        await using (var w = _store.CreateWriter()) await w.WriteAsync(new byte[5000], default);
        await NextWriteAsync();
        Assert.Equal(0, InlineRows());
        Assert.Equal(0, Files());
        var unknown = BlobId.Compute("nothing"u8);
        Assert.Null(_store.OpenRead(unknown));
        Assert.False(_store.Exists(unknown));
        Assert.Throws<FileNotFoundException>(() => _store.GetSize(unknown));
    }

    [Fact]
    public async Task A_read_with_the_size_finds_bodies_stored_under_another_limit()
    {
        var small = Encoding.ASCII.GetBytes(new string('s', 600));
        var large = Encoding.ASCII.GetBytes(new string('L', 3000));
        var (inline, file) = (await PutAsync(small), await PutAsync(large));
        await NextWriteAsync();
        Assert.Equal(1, InlineRows());
        Assert.Equal(1, Files());

        // Limit lowered: a 600-byte body is looked for as a file first, and is still found as a row.
        var lowered = new InlineBlobStore(_files, _db, inlineLimit: 0);
        // Limit raised: a 3000-byte body is looked for as a row first, and is still found as a file.
        var raised = new InlineBlobStore(_files, _db, inlineLimit: 1 << 20);
        foreach (var store in new[] { _store, lowered, raised })
        {
            Assert.Equal(small, ReadAll(store.OpenRead(inline, small.Length)));
            Assert.Equal(large, ReadAll(store.OpenRead(file, large.Length)));
        }
        Assert.Null(lowered.OpenRead(BlobId.FromHash(new byte[32]), 5000));
    }

    private static byte[] ReadAll(Stream? s)
    {
        using (s)
        {
            Assert.NotNull(s);
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }
    }

    [Fact]
    public async Task A_snapshot_for_a_restore_point_does_not_carry_the_inline_bodies()
    {
        // Backups read every body through IBlobStore and store it as a blob in the target; the
        // database copy of a restore point must stay the size of the metadata.
        await PutAsync(new byte[800]);
        await NextWriteAsync();
        var snapshot = Path.Combine(_dir, "snapshot.db");
        await new SqliteSnapshotter(_db).TakeAsync(snapshot, default);
        using var c = new SqliteConnection($"Data Source={snapshot};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM blob_inline";
        Assert.Equal(0L, (long)cmd.ExecuteScalar()!);
        Assert.Equal(1, InlineRows());
    }
}
