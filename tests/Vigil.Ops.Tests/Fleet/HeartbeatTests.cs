using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Fleet;

public class HeartbeatTests
{
    [Fact]
    public async Task A_heartbeat_signed_by_the_pinned_key_is_stored_and_answered_for_that_heartbeat()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        var heartbeat = rig.Heartbeat();
        var body = rig.Member.Sign(MessageFormats.Heartbeat, heartbeat).ToJson();
        var (member, envelope) = rig.Heartbeats.Authenticate(body)!.Value;
        var response = await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.True(SignedEnvelope.TryParse(response.Body, out var reply, out _));
        Assert.True(reply.IsSignedBy(MessageFormats.HeartbeatReply, rig.Console.PublicKey));
        Assert.Equal(heartbeat.Nonce, FleetJson.Deserialize<HeartbeatReply>(reply.Payload)!.InReplyTo);
        Assert.Equal(3, rig.Registry.LastHeartbeat(rig.Member.Id)!.Heartbeat.Counts!.Messages);
    }

    [Fact]
    public async Task Unknown_and_foreign_signed_heartbeats_do_not_authenticate()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        var stranger = rig.Identity(rig.MemberDir, "stranger.test");
        Assert.Null(rig.Heartbeats.Authenticate(stranger.Sign(MessageFormats.Heartbeat, rig.Heartbeat()).ToJson()));

        // Signed by a stranger but claiming the member's key id.
        SignedEnvelope.TryParse(stranger.Sign(MessageFormats.Heartbeat, rig.Heartbeat()).ToJson(), out var forged, out _);
        Assert.Null(rig.Heartbeats.Authenticate((forged with { KeyId = rig.Member.Id }).ToJson()));

        // The member's own key, but a signature made for another kind of message.
        SignedEnvelope.TryParse(rig.Member.Sign(MessageFormats.EnrollRequest, rig.Heartbeat()).ToJson(), out var wrongKind, out _);
        Assert.Null(rig.Heartbeats.Authenticate((wrongKind with { Format = MessageFormats.Heartbeat }).ToJson()));
        Assert.Null(rig.Heartbeats.Authenticate("not json"u8));
    }

    [Fact]
    public async Task A_replayed_or_old_heartbeat_is_refused_and_audited()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        var body = rig.Member.Sign(MessageFormats.Heartbeat, rig.Heartbeat()).ToJson();
        var (member, envelope) = rig.Heartbeats.Authenticate(body)!.Value;
        Assert.Equal(200, (await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None)).StatusCode);
        rig.Time.Advance(TimeSpan.FromSeconds(30));
        var replay = await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None);
        Assert.Equal(409, replay.StatusCode);
        var first = rig.Registry.LastHeartbeat(rig.Member.Id)!;
        Assert.Equal(rig.Time.GetUtcNow().AddSeconds(-30), first.ReceivedAt);

        var old = rig.Member.Sign(MessageFormats.Heartbeat, rig.Heartbeat(sentAt: rig.Time.GetUtcNow().AddMinutes(-6))).ToJson();
        var (_, oldEnvelope) = rig.Heartbeats.Authenticate(old)!.Value;
        Assert.Equal(409, (await rig.Heartbeats.ReceiveAsync(member, oldEnvelope, "127.0.0.1", CancellationToken.None)).StatusCode);
        Assert.Equal(2, rig.ConsoleAudit.Of("fleet.heartbeat.refused").Count);
        Assert.Equal(2, rig.ConsoleLogs.Messages("fleet.heartbeat_refused").Count);
    }

    [Fact]
    public async Task A_members_own_heartbeat_scrubs_control_characters_from_error_texts()
    {
        using var rig = new FleetRig();
        using var advisories = new AdvisoryRig();
        await rig.EnrollAsync();
        var factory = new HeartbeatFactory(rig.Member, rig.Options, new Vigil.Ops.Build.BuildIdentity("0.1.0", 40, "abc", "2026-01-01T00:00:00Z"),
            advisories.Service, new Listeners(), rig.MemberResults, rig.Time,
            backup: new Backup(new ProblemFacts(true, "stale: disk full\nline two\u001b[31m")));
        var heartbeat = await factory.CreateAsync(CancellationToken.None);
        Assert.Equal("stale: disk full line two [31m", heartbeat.Backup!.Detail);
        Assert.Equal("smtp", Assert.Single(heartbeat.Listeners).Name);
        Assert.True(Assert.Single(heartbeat.Listeners).BeyondLoopback);

        var (member, envelope) = rig.Heartbeats.Authenticate(rig.Member.Sign(MessageFormats.Heartbeat, heartbeat).ToJson())!.Value;
        Assert.Equal(200, (await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None)).StatusCode);
        var flags = Vigil.Ops.Fleet.Console.MemberFlags.Evaluate(rig.Registry.LastHeartbeat(rig.Member.Id), null, rig.Time.GetUtcNow(), rig.Options);
        Assert.Equal(["FEED-STALE", "EXPOSED", "BACKUP-STALE"], flags.Select(f => f.Name));
    }

    [Fact]
    public async Task A_members_alerts_are_raised_once_more_at_the_console_each_once()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        var dropped = new AlertFacts("integrity.unexpected_file", "a8f3kq.exe", "no such file belongs in the data directory", "integrity-watch", rig.Time.GetUtcNow());
        var admin = new AlertFacts("principal.admin_added", "boss@example.test", "boss@example.test is an administrator", "principal-watch", rig.Time.GetUtcNow());
        async Task Beat(params AlertFacts[] alerts)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            var (member, envelope) = rig.Heartbeats.Authenticate(rig.Member.Sign(MessageFormats.Heartbeat, rig.Heartbeat() with { Alerts = alerts }).ToJson())!.Value;
            Assert.Equal(200, (await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None)).StatusCode);
        }
        await Beat(dropped);
        await Beat(dropped);
        await Beat(dropped, admin);
        var forwarded = rig.ConsoleAlerts.Alerts;
        Assert.Equal(2, forwarded.Count);
        Assert.All(forwarded, a => Assert.Equal(Vigil.Ops.Alerts.AlertKinds.FleetMemberAlert, a.Kind));
        Assert.Equal($"member.test ({rig.Member.Id[..12]})", forwarded[0].Subject);
        Assert.StartsWith("integrity.unexpected_file: a8f3kq.exe — no such file belongs in the data directory (from integrity-watch at ", forwarded[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("principal.admin_added: boss@example.test", forwarded[1].Detail, StringComparison.Ordinal);
        Assert.False(Vigil.Ops.Alerts.AlertKinds.TriggersLockdown(forwarded[0].Kind)); // a member's alert never locks the console down
    }

    private sealed class Listeners : Vigil.Ops.Fleet.Facts.IListenerInventory
    {
        public IReadOnlyList<Vigil.Ops.Fleet.Facts.ListenerEndpoint> Current() => [new("smtp", "smtp", "0.0.0.0", 25, false)];
    }

    private sealed class Backup(ProblemFacts facts) : Vigil.Ops.Fleet.Facts.IBackupFacts
    {
        public ProblemFacts Current() => facts;
    }

    [Fact]
    public async Task A_heartbeat_with_terminal_escapes_is_refused()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        var evil = rig.Heartbeat() with { Hostname = "mail\u001b[2J.test" };
        var (member, envelope) = rig.Heartbeats.Authenticate(rig.Member.Sign(MessageFormats.Heartbeat, evil).ToJson())!.Value;
        Assert.Equal(400, (await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None)).StatusCode);
        Assert.Null(rig.Registry.LastHeartbeat(rig.Member.Id));
    }
}
