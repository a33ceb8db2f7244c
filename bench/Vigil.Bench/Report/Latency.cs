namespace Vigil.Bench.Report;

/// <summary>Collects durations from many tasks and reports percentiles.</summary>
public sealed class Latency
{
    private readonly List<double> _ms = [];

    public void Add(TimeSpan t)
    {
        lock (_ms) _ms.Add(t.TotalMilliseconds);
    }

    public int Count
    {
        get { lock (_ms) return _ms.Count; }
    }

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0) return double.NaN;
            var sorted = _ms.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }
}
