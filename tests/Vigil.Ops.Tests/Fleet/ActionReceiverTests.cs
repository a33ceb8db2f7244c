using System.Text;
using System.Text.Json.Nodes;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Fleet;

public class ActionReceiverTests
{
    [Fact]
    public async Task An_issued_action_travels_in_the_heartbeat_reply_and_runs_once()
    {
        using var rig = new FleetRig();
        var membership = await rig.EnrollAsync();
        var issued = await rig.Outbox.IssueAsync(rig.Member.Id, FleetAction.CheckNow, new Actor("admin", "cli"), CancellationToken.None);
        var actions = await DeliverAsync(rig);
        var bytes = Assert.Single(actions);

        var result = await rig.Receiver.ReceiveAsync(membership, bytes, CancellationToken.None);
        Assert.Equal("done", result!.Outcome);
        Assert.Equal(1, rig.CheckNow.Runs);
        Assert.Equal(issued.Id, Assert.Single(rig.MemberAudit.Of("fleet.action.done")).Details!["actionId"]);
        Assert.Single(rig.ConsoleAudit.Of("fleet.action.issued"));
        Assert.Single(rig.ConsoleAudit.Of("fleet.action.delivered"));
        Assert.Empty(await DeliverAsync(rig));

        // The member reports the result in its next heartbeat; the console audits it once.
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await BeatAsync(rig, rig.Heartbeat() with { ActionResults = rig.MemberResults.Recent() });
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await BeatAsync(rig, rig.Heartbeat() with { ActionResults = rig.MemberResults.Recent() });
        Assert.Equal("done", Assert.Single(rig.ConsoleAudit.Of("fleet.action.result")).Details!["outcome"]);
    }

    [Fact]
    public async Task A_replayed_action_is_refused_audited_and_not_run_again()
    {
        using var rig = new FleetRig();
        var membership = await rig.EnrollAsync();
        await rig.Outbox.IssueAsync(rig.Member.Id, FleetAction.CheckNow, new Actor("admin", "cli"), CancellationToken.None);
        var bytes = Assert.Single(await DeliverAsync(rig));
        await rig.Receiver.ReceiveAsync(membership, bytes, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await rig.Receiver.ReceiveAsync(membership, bytes, CancellationToken.None));
        Assert.Equal(1, rig.CheckNow.Runs);
        Assert.Contains("replayed", Assert.Single(rig.MemberAudit.Of("fleet.action.refused")).Details!["detail"], StringComparison.Ordinal);
        Assert.Contains("nothing was executed", Assert.Single(rig.MemberLogs.Messages("fleet.action_refused")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_action_signed_by_another_key_is_refused_even_with_the_console_key_id()
    {
        using var rig = new FleetRig();
        var membership = await rig.EnrollAsync();
        var stranger = rig.Identity(rig.ConsoleDir, "stranger.test");
        var message = new ActionMessage(NewId(), rig.Member.Id, "check-now", rig.Time.GetUtcNow());
        var own = stranger.Sign(MessageFormats.Action, message);
        var claiming = own with { KeyId = rig.Console.Id };
        // The member's own key is not the console's either.
        var byMember = rig.Member.Sign(MessageFormats.Action, message with { Id = NewId() });

        foreach (var envelope in new[] { own, claiming, byMember })
            Assert.Null(await rig.Receiver.ReceiveAsync(membership, envelope.ToJson(), CancellationToken.None));
        Assert.Equal(0, rig.CheckNow.Runs);
        var refused = rig.MemberAudit.Of("fleet.action.refused");
        Assert.Equal(3, refused.Count);
        Assert.All(refused, e => Assert.Contains("not signed by the pinned console key", e.Details!["detail"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_action_outside_the_set_is_refused_and_nothing_in_it_is_acted_on()
    {
        using var rig = new FleetRig();
        var membership = await rig.EnrollAsync();
        var marker = rig.MemberDir.File("pwned");
        // Signed by the real console key: a compromised or buggy console still cannot make a
        // member run a command, fetch a URL or touch a path.
        var payload = new JsonObject
        {
            ["id"] = NewId(),
            ["memberId"] = rig.Member.Id,
            ["action"] = "exec",
            ["issuedAt"] = rig.Time.GetUtcNow().ToString("O"),
            ["command"] = $"touch {marker}",
            ["url"] = "http://127.0.0.1:1/instructions",
            ["path"] = marker,
        };
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var envelope = new SignedEnvelope(MessageFormats.Action, rig.Console.Id, bytes, SignAsConsole(rig, bytes));
        var result = await rig.Receiver.ReceiveAsync(membership, envelope.ToJson(), CancellationToken.None);
        Assert.Equal("refused", result!.Outcome);
        Assert.Contains("unknown action", result.Detail, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.Equal(0, rig.CheckNow.Runs);
        Assert.Single(rig.MemberAudit.Of("fleet.action.refused"));

        // Lockdown and force-reset are in the set but this member has no handler for them yet.
        foreach (var action in new[] { FleetAction.Lockdown, FleetAction.ForceReset })
        {
            await rig.Outbox.IssueAsync(rig.Member.Id, action, new Actor("admin", "cli"), CancellationToken.None);
            var r = await rig.Receiver.ReceiveAsync(membership, Assert.Single(await DeliverAsync(rig)), CancellationToken.None);
            Assert.Equal("refused", r!.Outcome);
        }
    }

    [Fact]
    public async Task Stale_and_misaddressed_actions_are_refused()
    {
        using var rig = new FleetRig();
        var membership = await rig.EnrollAsync();
        var stale = rig.Console.Sign(MessageFormats.Action, new ActionMessage(NewId(), rig.Member.Id, "check-now", rig.Time.GetUtcNow().AddMinutes(-5).AddSeconds(-1)));
        var future = rig.Console.Sign(MessageFormats.Action, new ActionMessage(NewId(), rig.Member.Id, "check-now", rig.Time.GetUtcNow().AddMinutes(6)));
        var other = rig.Console.Sign(MessageFormats.Action, new ActionMessage(NewId(), new string('c', 32), "check-now", rig.Time.GetUtcNow()));
        Assert.Equal("refused", (await rig.Receiver.ReceiveAsync(membership, stale.ToJson(), CancellationToken.None))!.Outcome);
        Assert.Equal("refused", (await rig.Receiver.ReceiveAsync(membership, future.ToJson(), CancellationToken.None))!.Outcome);
        Assert.Null(await rig.Receiver.ReceiveAsync(membership, other.ToJson(), CancellationToken.None));
        Assert.Equal(0, rig.CheckNow.Runs);
        Assert.Equal(3, rig.MemberAudit.Of("fleet.action.refused").Count);
    }

    [Fact]
    public async Task An_action_not_picked_up_within_five_minutes_expires_unsent()
    {
        using var rig = new FleetRig();
        await rig.EnrollAsync();
        await rig.Outbox.IssueAsync(rig.Member.Id, FleetAction.CheckNow, new Actor("admin", "cli"), CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Empty(await DeliverAsync(rig));
        Assert.Single(rig.ConsoleAudit.Of("fleet.action.expired"));
    }

    [Fact]
    public void Action_names_parse_exactly()
    {
        Assert.True(FleetActionNames.TryParse("check-now", out var a));
        Assert.Equal(FleetAction.CheckNow, a);
        foreach (var bad in new[] { "Check-Now", "check-now ", "CheckNow", "0", "", null, "lockdown;rm" })
            Assert.False(FleetActionNames.TryParse(bad, out _), bad);
    }

    private static async Task<IReadOnlyList<byte[]>> DeliverAsync(FleetRig rig)
    {
        rig.Time.Advance(TimeSpan.FromMilliseconds(10));
        var reply = await BeatAsync(rig, rig.Heartbeat());
        return reply.Actions.Select(Convert.FromBase64String).ToArray();
    }

    private static async Task<HeartbeatReply> BeatAsync(FleetRig rig, Heartbeat heartbeat)
    {
        var (member, envelope) = rig.Heartbeats.Authenticate(rig.Member.Sign(MessageFormats.Heartbeat, heartbeat).ToJson())!.Value;
        var response = await rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None);
        Assert.Equal(200, response.StatusCode);
        SignedEnvelope.TryParse(response.Body, out var reply, out _);
        return FleetJson.Deserialize<HeartbeatReply>(reply.Payload)!;
    }

    private static byte[] SignAsConsole(FleetRig rig, byte[] payload)
    {
        // FleetIdentity signs records; for a hand-made payload, sign the exact bytes the same way.
        var key = Vigil.Security.Keys.InstanceKey.Load(rig.ConsoleDir.File("console.test.key"));
        return key.Sign(SignedEnvelope.SigningInput(MessageFormats.Action, payload));
    }

    private static string NewId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}
