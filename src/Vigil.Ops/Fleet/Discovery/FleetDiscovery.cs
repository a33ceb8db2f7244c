using System.Diagnostics;
using System.Net;

namespace Vigil.Ops.Fleet.Discovery;

/// <summary>How hard discovery may knock.</summary>
public sealed record DiscoveryOptions(int AttemptsPerSecond = 50, int Parallel = 16)
{
    public static readonly IReadOnlyList<int> DefaultPorts = [25, 465, 587, 143, 993, 110, 995, 443];
}

/// <summary><c>vigil fleet discover</c>: probes every address and port of a range at a bounded
/// rate and concurrency and says, for each endpoint that answers, which known instance it is,
/// if any. Ranges larger than a /16 are refused unless forced.</summary>
public sealed class FleetDiscovery(EndpointProbe probe)
{
    public async Task<IReadOnlyList<DiscoveredEndpoint>> ScanAsync(Ipv4Range range, IReadOnlyList<int> ports, DiscoveryOptions options, bool force, EnrolledEndpoints enrolled, CancellationToken ct)
    {
        if (range.PrefixLength < Ipv4Range.LargestWithoutForce && !force)
            throw new InvalidOperationException($"{range} has {range.Size} addresses; ranges larger than a /{Ipv4Range.LargestWithoutForce} need --force");
        if (ports.Count == 0 || ports.Any(p => p is < 1 or > 65535)) throw new FormatException("ports must be between 1 and 65535");
        if (options.AttemptsPerSecond < 1 || options.Parallel < 1) throw new FormatException("rate and parallelism must be positive");

        var pacer = new Pacer(TimeSpan.FromSeconds(1.0 / options.AttemptsPerSecond));
        using var slots = new SemaphoreSlim(options.Parallel);
        var found = new List<DiscoveredEndpoint>();
        var running = new List<Task>();
        try
        {
            foreach (var address in range.Hosts())
            {
                foreach (var port in ports.Distinct())
                {
                    await slots.WaitAsync(ct);
                    await pacer.WaitAsync(ct);
                    running.Add(ProbeOneAsync(address, port));
                    running.RemoveAll(t => t.IsCompleted);
                }
            }
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        ct.ThrowIfCancellationRequested();
        return found.OrderBy(e => e.Address.GetAddressBytes(), ByteOrder.Instance).ThenBy(e => e.Port).ToArray();

        async Task ProbeOneAsync(IPAddress address, int port)
        {
            try
            {
                if (await probe.ProbeAsync(address, port, ct) is { } hit)
                {
                    lock (found) found.Add(hit with { EnrolledAs = enrolled.Owner(address, port) });
                }
            }
            finally
            {
                slots.Release();
            }
        }
    }

    /// <summary>Spaces connection attempts evenly: one per interval.</summary>
    private sealed class Pacer(TimeSpan interval)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _next = TimeSpan.Zero;

        public async Task WaitAsync(CancellationToken ct)
        {
            var wait = _next - _clock.Elapsed;
            _next = (wait > TimeSpan.Zero ? _next : _clock.Elapsed) + interval;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        }
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x!.AsSpan().SequenceCompareTo(y);
    }
}
