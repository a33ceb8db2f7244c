using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vigil.Ops.Advisories;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Advisories;

public class AdvisoryServiceTests
{
    private static readonly Advisory NamesUs = FeedMaker.Advisory("VSA-2026-0001", AdvisorySeverity.Critical, 30, AdvisoryRig.Build, 41);
    private static readonly Advisory Older = FeedMaker.Advisory("VSA-2025-0009", AdvisorySeverity.Medium, 1, 20);

    [Fact]
    public async Task A_trusted_feed_naming_this_build_makes_it_outdated_and_is_audited()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        var result = await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, NamesUs, Older));

        Assert.Equal(RefreshOutcome.Accepted, result.Outcome);
        var a = result.Assessment;
        Assert.True(a.Outdated);
        Assert.Equal(AdvisorySeverity.Critical, a.Worst);
        Assert.Equal(["VSA-2026-0001"], a.Affecting.Select(x => x.Id));
        Assert.Equal(41, a.UpgradeTo);
        Assert.Equal("OUTDATED", a.Word);
        var accepted = Assert.Single(rig.Audit.Of("advisories.feed.accepted"));
        Assert.Equal("2", accepted.Details!["serial"]);
        Assert.Single(rig.Audit.Of("advisories.key.trusted"));
    }

    [Fact]
    public async Task Tampered_untrusted_and_rolled_back_feeds_are_refused_logged_audited_and_never_trusted()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        Assert.Equal(RefreshOutcome.Accepted, (await rig.PublishAndRefreshAsync(rig.Maker.Sign(5, Older))).Outcome);

        var tampered = rig.Maker.Sign(6, NamesUs);
        tampered[tampered.Length / 2] ^= 0x01;
        using var stranger = new FeedMaker();
        var cases = new (byte[] Feed, string Code)[]
        {
            (tampered, "bad-signature"),
            (stranger.Sign(7, NamesUs), "unknown-key"),
            (rig.Maker.Sign(4, NamesUs), "rollback"),
        };
        foreach (var (feed, code) in cases)
        {
            var result = await rig.PublishAndRefreshAsync(feed);
            Assert.Equal(RefreshOutcome.Refused, result.Outcome);
            Assert.True(result.Refusal!.Code == code || (code == "bad-signature" && result.Refusal.Code == "malformed"), $"{code}: got {result.Refusal.Code}");
            // The feed in force is still serial 5, which does not name this build.
            Assert.Equal(5, result.Assessment.FeedSerial);
            Assert.False(result.Assessment.Outdated);
            Assert.StartsWith(result.Refusal.Code, result.Assessment.LastError, StringComparison.Ordinal);
        }
        var refused = rig.Audit.Of("advisories.feed.refused");
        Assert.Equal(3, refused.Count);
        Assert.Equal(["unknown-key", "rollback"], refused.Skip(1).Select(e => e.Details!["reason"]));
        var lines = rig.Logs.Lines.Where(l => l.Event == "advisories.feed_refused").ToArray();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Equal(LogLevel.Error, l.Level));
        Assert.Contains("rollback", lines[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_feed_again_counts_as_a_refresh_and_a_stale_feed_is_reported()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, Older));
        rig.Time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(RefreshOutcome.Unchanged, (await rig.Service.RefreshAsync(null, Actor.System("test"), CancellationToken.None)).Outcome);
        Assert.Equal(FeedHealth.Fresh, rig.Service.Assess().Feed);

        File.Delete(rig.FeedFile);
        rig.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(RefreshOutcome.Refused, (await rig.Service.RefreshAsync(null, Actor.System("test"), CancellationToken.None)).Outcome);
        Assert.Equal(FeedHealth.Fresh, rig.Service.Assess().Feed);
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        var a = rig.Service.Assess();
        Assert.Equal(FeedHealth.Stale, a.Feed);
        Assert.Equal("FEED-STALE", a.Word);
        Assert.Contains("unavailable", a.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_edited_on_disk_after_acceptance_is_not_believed()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, NamesUs));
        Assert.True(rig.Service.Assess().Outdated);
        var stored = File.ReadAllBytes(rig.Paths.Feed);
        stored[stored.Length / 3] ^= 0x01;
        File.WriteAllBytes(rig.Paths.Feed, stored);
        var a = rig.Service.Assess();
        Assert.Equal(FeedHealth.Missing, a.Feed);
        Assert.Equal("NO-FEED", a.Word);
    }

    [Fact]
    public async Task Untrusting_a_key_is_audited_and_its_feeds_stop_counting()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, NamesUs));
        Assert.True(await rig.Service.UntrustAsync(rig.Maker.KeyId, new Actor("admin", "test"), CancellationToken.None));
        Assert.Single(rig.Audit.Of("advisories.key.untrusted"));
        Assert.Equal(FeedHealth.Missing, rig.Service.Assess().Feed);
        Assert.False(await rig.Service.UntrustAsync(VendorKey.Pinned!.KeyId, new Actor("admin", "test"), CancellationToken.None));
        Assert.Contains(rig.Service.Keyring().Keys, k => k.Origin == KeyOrigin.Vendor);
    }

    [Fact]
    public async Task Trust_refuses_a_file_that_is_not_a_public_key()
    {
        using var rig = new AdvisoryRig();
        await Assert.ThrowsAsync<FormatException>(() => rig.Service.TrustAsync("ed25519 bm90IGEga2V5", "x", new Actor("a", "t"), CancellationToken.None));
        Assert.Empty(rig.Audit.Events);
    }

    [Fact]
    public async Task A_feed_is_fetched_from_a_loopback_http_server_and_an_oversized_one_is_refused()
    {
        using var rig0 = new AdvisoryRig();
        await rig0.TrustMakerAsync();
        var signed = rig0.Maker.Sign(3, NamesUs);
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var serving = ServeAsync(server, [signed, new byte[AdvisoryStore.MaxFeedBytes + 10]]);

        var url = $"http://127.0.0.1:{port}/feed.json";
        var ok = await rig0.Service.RefreshAsync(url, Actor.System("test"), CancellationToken.None);
        Assert.Equal(RefreshOutcome.Accepted, ok.Outcome);
        Assert.True(ok.Assessment.Outdated);
        var big = await rig0.Service.RefreshAsync(url, Actor.System("test"), CancellationToken.None);
        Assert.Equal("too-large", big.Refusal!.Code);
        await serving;
    }

    [Fact]
    public async Task The_outdated_metric_counts_advisories_by_severity()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, NamesUs, Older, FeedMaker.Advisory("VSA-2026-0002", AdvisorySeverity.Critical, 40, 40)));
        using var metrics = new AdvisoryMetrics(rig.Service);
        var seen = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) => { if (ReferenceEquals(i.Meter, metrics.Meter)) l.EnableMeasurementEvents(i); };
        listener.SetMeasurementEventCallback<int>((i, value, tags, _) =>
        {
            var severity = tags.ToArray().FirstOrDefault(t => t.Key == "severity").Value as string;
            seen[$"{i.Name}{(severity is null ? "" : "{" + severity + "}")}"] = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(2, seen["vigil_security_outdated{critical}"]);
        Assert.Equal(0, seen["vigil_security_outdated{medium}"]);
        Assert.Equal(0, seen["vigil_security_outdated{low}"]);
        Assert.Equal(0, seen["vigil_advisory_feed_stale"]);
    }

    [Fact]
    public async Task The_watch_service_says_outdated_loudly_with_ids_and_the_fix()
    {
        using var rig = new AdvisoryRig();
        await rig.TrustMakerAsync();
        var result = await rig.PublishAndRefreshAsync(rig.Maker.Sign(2, NamesUs));
        var logs = new LogCapture();
        var watch = new AdvisoryWatchService(rig.Service, rig.Time, logs.For<AdvisoryWatchService>());
        watch.Report(result.Assessment);
        var line = Assert.Single(logs.Lines, l => l.Event == "advisories.outdated");
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Contains("VSA-2026-0001", line.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade to build 41", line.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Event == "advisories.outdated_detail");
    }

    [Fact]
    public async Task The_watch_service_refreshes_at_start_and_repeats_its_warning()
    {
        using var rig = new AdvisoryRig(options: new AdvisoryOptions { Source = "feed.signed.json", WarnInterval = TimeSpan.FromMilliseconds(100) });
        await rig.TrustMakerAsync();
        File.WriteAllBytes(rig.FeedFile, rig.Maker.Sign(2, NamesUs));
        var logs = new LogCapture();
        using var watch = new AdvisoryWatchService(rig.Service, TimeProvider.System, logs.For<AdvisoryWatchService>());
        await watch.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (logs.Messages("advisories.outdated").Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await watch.StopAsync(CancellationToken.None);
        Assert.True(logs.Messages("advisories.outdated").Count >= 3);
        Assert.Single(rig.Audit.Of("advisories.feed.accepted"));
    }

    private static async Task ServeAsync(TcpListener server, IEnumerable<byte[]> bodies)
    {
        foreach (var body in bodies)
        {
            using var client = await server.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            await stream.ReadAsync(buffer);
            var head = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head);
            try
            {
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The client stops reading an oversized body.
            }
        }
    }
}
