using System.Net;
using Vigil.Bench.Messages;
using Vigil.Bench.Smtp;
using Vigil.Bench.Store;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Bench;

/// <summary>A tiny run of the benchmark's pieces (bench/Vigil.Bench) against a real server, so the
/// harness cannot rot between benchmark runs: the SMTP load generator with the realistic size mix,
/// then the durability comparison of acknowledged ids with the store.</summary>
public sealed class BenchHarnessSmokeTests
{
    [Fact]
    public async Task Load_generator_delivers_50_messages_and_the_store_check_finds_each_exactly_once()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("bench");
        var acked = Path.Combine(server.Data.Root, "..", $"acked-{Guid.NewGuid():N}.tsv");
        try
        {
            var load = new SmtpLoad(new SmtpLoadOptions(server.EndPoint("smtp"), 5, 50, SizeMix.Parse("mix"), "load@remote.test",
                [$"bench@{TestServer.Domain}"], TimeSpan.FromSeconds(60)) { AckFile = acked });
            await load.RunAsync(CancellationToken.None);

            Assert.Equal(50, load.Accepted);
            Assert.Equal(0, load.Failed);
            Assert.Equal(50, load.Latency.Count);

            var ids = File.ReadAllLines(acked).Select(l => l.Split('\t')[0]).ToList();
            var check = await StoreCheck.RunAsync(server.Data.Root, "bench", TestServer.Domain, ids, CancellationToken.None);
            Assert.Equal(50, check.Stored);
            Assert.Empty(check.Lost);
            Assert.Empty(check.Duplicated);
            Assert.Empty(check.Corrupt);
        }
        finally
        {
            File.Delete(acked);
        }
    }

    [Fact]
    public void Size_mix_is_the_same_sequence_every_run_and_spans_2_KB_to_2_MB()
    {
        var mix = SizeMix.Parse("mix");
        var sizes = Enumerable.Range(0, 2000).Select(mix.SizeOf).ToList();
        Assert.Equal(sizes, Enumerable.Range(0, 2000).Select(SizeMix.Parse("mix").SizeOf));
        Assert.Equal(2 * 1024, sizes.Min());
        Assert.Equal(2 * 1024 * 1024, sizes.Max());
        var message = MessageFactory.Create("m0000001", "a@b.test", "c@d.test", 4096, DateTimeOffset.UnixEpoch);
        Assert.InRange(message.Length, 3900, 4096);
        Assert.EndsWith("END-OF-m0000001\r\n", System.Text.Encoding.ASCII.GetString(message), StringComparison.Ordinal);
    }
}
