using Microsoft.Extensions.Time.Testing;
using Vigil.Security.Limits;

namespace Vigil.Security.Tests.Limits;

public class WindowCounterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Counts_events_inside_the_window_and_forgets_them_after()
    {
        var counter = new WindowCounter<string>(TimeSpan.FromMinutes(10), 100, _time);
        Assert.Equal(1, counter.Add("a"));
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(2, counter.Add("a"));
        Assert.Equal(1, counter.Add("b"));
        _time.Advance(TimeSpan.FromMinutes(7)); // first event is now 11 minutes old
        Assert.Equal(1, counter.Count("a"));
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, counter.Count("a"));
        Assert.Equal(0, counter.Count("b"));
    }

    [Fact]
    public void Amounts_add_up_and_reset_clears_a_key()
    {
        var counter = new WindowCounter<int>(TimeSpan.FromHours(1), 100, _time);
        counter.Add(7, 40);
        Assert.Equal(100, counter.Add(7, 60));
        counter.Reset(7);
        Assert.Equal(0, counter.Count(7));
    }

    [Fact]
    public void Never_tracks_more_keys_than_its_bound()
    {
        var counter = new WindowCounter<int>(TimeSpan.FromMinutes(1), 1000, _time);
        for (var i = 0; i < 50_000; i++)
        {
            counter.Add(i);
            if (i % 100 == 0) _time.Advance(TimeSpan.FromMilliseconds(10));
        }
        Assert.True(counter.KeyCount <= 1000, $"{counter.KeyCount} keys");
        Assert.Equal(1, counter.Count(49_999)); // the newest keys survive eviction
    }

    [Fact]
    public void Idle_keys_are_dropped_before_busy_ones()
    {
        var counter = new WindowCounter<string>(TimeSpan.FromMinutes(1), 3, _time);
        counter.Add("old");
        _time.Advance(TimeSpan.FromMinutes(5));
        counter.Add("busy");
        counter.Add("busy2");
        counter.Add("new");
        Assert.Equal(1, counter.Count("busy"));
        Assert.Equal(1, counter.Count("new"));
        Assert.Equal(3, counter.KeyCount);
    }
}
