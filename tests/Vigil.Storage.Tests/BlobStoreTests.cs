using System.Text;
using Vigil.Core.Model;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-blobs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Blob_is_named_by_its_sha256_fanned_out_and_read_only()
    {
        var store = new FileBlobStore(_root);
        var content = Encoding.ASCII.GetBytes("hello blob");
        BlobId id;
        await using (var w = store.CreateWriter())
        {
            await w.WriteAsync(content, default);
            id = await w.CommitAsync(default);
        }
        Assert.Equal(BlobId.Compute(content), id);
        var path = Path.Combine(_root, id.Hex[..2], id.Hex);
        Assert.Equal(path, store.PathOf(id));
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.False(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserWrite));
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Fact]
    public void A_two_level_store_is_moved_to_one_level_and_reads_the_same()
    {
        // blobs/ab/cd/abcd… was the layout before; a store written that way is migrated at start-up.
        var contents = Enumerable.Range(0, 5).Select(i => Encoding.ASCII.GetBytes($"old blob {i}")).ToList();
        var ids = contents.Select(c => BlobId.Compute(c)).ToList();
        foreach (var (id, c) in ids.Zip(contents))
        {
            var dir = Directory.CreateDirectory(Path.Combine(_root, id.Hex[..2], id.Hex[2..4])).FullName;
            File.WriteAllBytes(Path.Combine(dir, id.Hex), c);
        }
        var store = new FileBlobStore(_root);
        Assert.Null(store.OpenRead(ids[0]));

        Assert.Equal(5, store.MigrateTwoLevelLayout());

        foreach (var (id, c) in ids.Zip(contents))
        {
            using var s = store.OpenRead(id)!;
            using var m = new MemoryStream();
            s.CopyTo(m);
            Assert.Equal(c, m.ToArray());
        }
        Assert.All(Directory.EnumerateDirectories(_root).Where(d => Path.GetFileName(d) != "tmp"),
            d => Assert.Empty(Directory.EnumerateDirectories(d)));
        Assert.Equal(0, store.MigrateTwoLevelLayout());
    }

    [Fact]
    public async Task Identical_content_is_stored_once_and_uncommitted_writes_vanish()
    {
        var store = new FileBlobStore(_root);
        async Task<BlobId> Put(string s)
        {
            await using var w = store.CreateWriter();
            await w.WriteAsync(Encoding.ASCII.GetBytes(s), default);
            return await w.CommitAsync(default);
        }
        Assert.Equal(await Put("same"), await Put("same"));
        await using (var abandoned = store.CreateWriter()) await abandoned.WriteAsync(new byte[1000], default);
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Many_concurrent_commits_each_land_whole_under_their_hash()
    {
        // Commits run on the dedicated disk-sync threads; more writers than threads must queue, not fail.
        var store = new FileBlobStore(_root);
        var contents = Enumerable.Range(0, 200).Select(i => Encoding.ASCII.GetBytes($"blob {i} " + new string('x', i * 37))).ToList();
        var ids = await Task.WhenAll(contents.Select(async c =>
        {
            await using var w = store.CreateWriter();
            await w.WriteAsync(c.AsMemory(0, c.Length / 2), default);
            await w.WriteAsync(c.AsMemory(c.Length / 2), default);
            return await w.CommitAsync(default);
        }));
        for (var i = 0; i < contents.Count; i++)
        {
            Assert.Equal(BlobId.Compute(contents[i]), ids[i]);
            Assert.Equal(contents[i], await File.ReadAllBytesAsync(store.PathOf(ids[i])));
        }
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00/../../../../x")]
    [InlineData("")]
    public void A_blob_id_can_never_carry_a_path(string text) => Assert.False(BlobId.TryParse(text, out _));
}
