using Vigil.Ops.Integrity;

namespace Vigil.Ops.Tests.Integrity;

public class BlobBurstDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fires_once_at_the_threshold_within_the_window()
    {
        var d = new BlobBurstDetector(5, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 4; i++) Assert.Null(d.Record(T0.AddSeconds(i)));
        Assert.Equal(5, d.Record(T0.AddSeconds(4)));
        Assert.Null(d.Record(T0.AddSeconds(5))); // not again within the same window
        for (var i = 70; i < 74; i++) Assert.Null(d.Record(T0.AddSeconds(i))); // the old events have left the window
        Assert.Equal(5, d.Record(T0.AddSeconds(74)));
    }

    [Fact]
    public void Slow_changes_never_fire()
    {
        var d = new BlobBurstDetector(5, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 100; i++) Assert.Null(d.Record(T0.AddSeconds(i * 20)));
    }
}
