using System.Diagnostics;

namespace Vigil.Net;

/// <summary>Catches a client that trickles a message or literal a byte at a time: each read arrives
/// within the per-read timeout, so only the average rate over the whole transfer shows it. After
/// <paramref name="grace"/>, the transfer must average at least <paramref name="minBytesPerSecond"/>.</summary>
public sealed class TransferPace(double minBytesPerSecond, TimeSpan grace)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _bytes;

    public long Bytes => _bytes;

    public void Add(long bytes) => _bytes += bytes;

    public bool TooSlow
    {
        get
        {
            if (minBytesPerSecond <= 0) return false;
            var elapsed = Stopwatch.GetElapsedTime(_started);
            return elapsed > grace && _bytes < elapsed.TotalSeconds * minBytesPerSecond;
        }
    }
}
