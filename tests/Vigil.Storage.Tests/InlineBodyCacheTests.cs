using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Storage.Tests;

public sealed class InlineBodyCacheTests
{
    private static byte[] Body(int size, byte fill) => Enumerable.Repeat(fill, size).ToArray();

    [Fact]
    public void Holds_no_more_than_its_capacity_and_drops_the_least_recently_read_first()
    {
        var cache = new InlineBodyCache(capacityBytes: 300);
        cache.Add("a", Body(100, 1));
        cache.Add("b", Body(100, 2));
        cache.Add("c", Body(100, 3));
        Assert.NotNull(cache.Get("a")); // now the most recently used; b is the oldest

        cache.Add("d", Body(100, 4));

        Assert.Null(cache.Get("b"));
        Assert.Equal(Body(100, 1), cache.Get("a"));
        Assert.Equal(Body(100, 3), cache.Get("c"));
        Assert.Equal(Body(100, 4), cache.Get("d"));
    }

    [Fact]
    public void A_body_larger_than_the_whole_cache_is_not_kept_and_evicts_nothing()
    {
        var cache = new InlineBodyCache(capacityBytes: 300);
        cache.Add("a", Body(100, 1));

        cache.Add("huge", Body(301, 9));

        Assert.Null(cache.Get("huge"));
        Assert.NotNull(cache.Get("a"));
    }

    [Fact]
    public void Adding_an_id_twice_counts_its_bytes_once()
    {
        var cache = new InlineBodyCache(capacityBytes: 300);
        cache.Add("a", Body(100, 1));
        cache.Add("a", Body(100, 1));
        cache.Add("b", Body(100, 2));
        cache.Add("c", Body(100, 3));

        Assert.NotNull(cache.Get("a"));
        Assert.NotNull(cache.Get("b"));
        Assert.NotNull(cache.Get("c"));
    }
}
