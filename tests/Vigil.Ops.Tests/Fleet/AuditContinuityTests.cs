using Vigil.Core.Audit;
using Vigil.Ops.Alerts;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;
using Vigil.Security.Audit;
using Vigil.Security.Keys;

namespace Vigil.Ops.Tests.Fleet;

/// <summary>The console follows each member's audit log through its heartbeats: a member's real
/// audit log (checkpoints every 2 entries, signed with the member's key) is reported by the
/// member's <see cref="AuditReporter"/> to the console's heartbeat handler, then cut back,
/// rewritten or replaced the way an attacker holding the instance key would.</summary>
public sealed class AuditContinuityTests : IDisposable
{
    private readonly FleetRig _rig = new();
    private readonly InstanceKey _key;
    private JsonlAuditLog _log;
    private AuditReporter _reporter;

    public AuditContinuityTests()
    {
        _key = InstanceKey.Load(_rig.MemberDir.File("member.test.key"));
        _log = NewLog();
        _reporter = new AuditReporter(_log);
    }

    public void Dispose()
    {
        _log.Dispose();
        _key.Dispose();
        _rig.Dispose();
    }

    private string AuditDir => _rig.MemberDir.File("audit");

    private JsonlAuditLog NewLog() => new(new AuditLogOptions(AuditDir) { CheckpointEvery = 2 }, _key);

    private async Task WriteAsync(int count, string action = "user.add")
    {
        for (var i = 0; i < count; i++)
            await _log.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, "cli:root", "cli", action, $"u{i}@example.test", null), CancellationToken.None);
    }

    /// <summary>One heartbeat from the member's own reporter, as <c>HeartbeatSender</c> sends it.</summary>
    private async Task<int> BeatAsync()
    {
        _rig.Time.Advance(TimeSpan.FromSeconds(1));
        var heartbeat = _rig.Heartbeat(audit: await _reporter.CurrentAsync(CancellationToken.None));
        var (member, envelope) = _rig.Heartbeats.Authenticate(_rig.Member.Sign(MessageFormats.Heartbeat, heartbeat).ToJson())!.Value;
        var status = (await _rig.Heartbeats.ReceiveAsync(member, envelope, "127.0.0.1", CancellationToken.None)).StatusCode;
        if (status == 200) _reporter.Acknowledge(heartbeat.Audit);
        return status;
    }

    private IReadOnlyList<FleetFlag> Flags() => MemberFlags.Evaluate(_rig.Registry.LastHeartbeat(_rig.Member.Id), null, _rig.Time.GetUtcNow(), _rig.Options);

    private List<Alert> Alerts() => _rig.ConsoleAlerts.Alerts.Where(a => a.Kind == AlertKinds.FleetAuditBroken).ToList();

    private static void KeepLines(string path, int count) =>
        File.WriteAllLines(path, File.ReadAllLines(path).Take(count));

    [Fact]
    public async Task A_growing_log_continues_even_when_more_checkpoints_were_written_than_a_fresh_heartbeat_carries()
    {
        await _rig.EnrollAsync();
        await WriteAsync(4);
        Assert.Equal(200, await BeatAsync());
        await WriteAsync(2 * (AuditReporter.FreshCheckpoints + 5)); // 15 checkpoints between two heartbeats
        var report = await _reporter.CurrentAsync(CancellationToken.None);
        Assert.Equal(16, report.Checkpoints.Count); // from the acknowledged one on
        Assert.Equal(34, report.Entries);
        Assert.Equal(200, await BeatAsync());
        Assert.Equal(200, await BeatAsync()); // nothing new: the acknowledged checkpoint alone
        Assert.Single((await _reporter.CurrentAsync(CancellationToken.None)).Checkpoints);

        // the server restarts: a fresh reporter sends the newest few, which still include the one seen
        _reporter = new AuditReporter(_log);
        await WriteAsync(3);
        Assert.Equal(200, await BeatAsync());
        Assert.Empty(Flags());
        Assert.Empty(Alerts());
        Assert.Null(_rig.Registry.LastHeartbeat(_rig.Member.Id)!.AuditProblem);
    }

    [Fact]
    public async Task A_log_cut_back_with_its_checkpoints_passes_local_verify_but_the_console_flags_it()
    {
        await _rig.EnrollAsync();
        await WriteAsync(10); // checkpoints over 2, 4, 6, 8, 10
        Assert.Equal(200, await BeatAsync());

        // The attacker removes entries 7–10 and the checkpoints over them: a consistent, shorter log.
        KeepLines(_log.FilePath, 6);
        KeepLines(_log.Files.CheckpointsPath, 3);
        var local = AuditVerifier.Verify(_log.Files, _key.PublicKey);
        Assert.True(local.Ok, local.Break?.ToString());
        Assert.Equal(6, local.Entries);

        Assert.Equal(200, await BeatAsync()); // the heartbeat is still taken: the member must stay visible
        var flag = Assert.Single(Flags());
        Assert.Equal("AUDIT-BROKEN(truncated)", flag.ToString());
        var alert = Assert.Single(Alerts());
        Assert.Equal($"member.test ({_rig.Member.Id[..12]})", alert.Subject);
        Assert.Equal("truncated: the audit log went back from 10 to 6 entries", alert.Detail);
        Assert.Equal(ConsoleHeartbeats.AlertSource, alert.Source);

        // The flag stays while the member goes on normally, and nothing is alerted twice.
        await WriteAsync(6);
        Assert.Equal(200, await BeatAsync());
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("AUDIT-BROKEN(truncated)", Assert.Single(Flags()).ToString());
        Assert.Single(Alerts());

        // An admin who has looked into it accepts the log as it is now; a new break is flagged again.
        Assert.True(_rig.Registry.AcceptAudit(_rig.Member.Id));
        Assert.Empty(Flags());
        KeepLines(_log.FilePath, 4);
        KeepLines(_log.Files.CheckpointsPath, 2);
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("AUDIT-BROKEN(truncated)", Assert.Single(Flags()).ToString());
        Assert.Equal(2, Alerts().Count);
    }

    [Fact]
    public async Task A_log_rewritten_and_signed_again_with_the_instance_key_is_flagged()
    {
        await _rig.EnrollAsync();
        await WriteAsync(10);
        Assert.Equal(200, await BeatAsync());

        // Same length, other entries, fresh checkpoints signed with the real key: verify passes locally.
        Directory.Delete(AuditDir, recursive: true);
        await WriteAsync(10, "domain.add");
        Assert.True(AuditVerifier.Verify(_log.Files, _key.PublicKey).Ok);
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("AUDIT-BROKEN(rewritten)", Assert.Single(Flags()).ToString());
        Assert.StartsWith("rewritten: the audit checkpoint over 10 entries is not the one the console saw", Assert.Single(Alerts()).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_replaced_by_a_longer_one_or_deleted_is_flagged()
    {
        await _rig.EnrollAsync();
        await WriteAsync(4);
        Assert.Equal(200, await BeatAsync());
        Directory.Delete(AuditDir, recursive: true);
        await WriteAsync(12, "domain.add"); // longer than before, but not the same history
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("AUDIT-BROKEN(rewritten)", Assert.Single(Flags()).ToString());

        Assert.True(_rig.Registry.AcceptAudit(_rig.Member.Id));
        Directory.Delete(AuditDir, recursive: true);
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("AUDIT-BROKEN(truncated)", Assert.Single(Flags()).ToString());
        Assert.Equal("truncated: the audit log went back from 12 to 0 entries", Alerts()[^1].Detail);
    }

    [Fact]
    public async Task Only_the_entries_cut_while_the_checkpoints_stay_is_flagged_at_once()
    {
        await _rig.EnrollAsync();
        await WriteAsync(9);
        Assert.Equal(200, await BeatAsync());
        KeepLines(_log.FilePath, 5); // checkpoints still cover 8 entries
        Assert.Equal(200, await BeatAsync());
        Assert.Equal("truncated: the audit log holds 5 entries but its newest checkpoint covers 8: its tail was cut", Assert.Single(Alerts()).Detail);
    }

    private static CheckpointFacts Cp(long seq, string hash, string prev) => new(seq, "e" + seq, hash, prev, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Each_kind_of_discontinuity_is_named()
    {
        var seen = new AuditFacts(4, [Cp(2, "h2", "g"), Cp(4, "h4", "h2")]);
        Assert.Null(AuditContinuity.Check(null, seen)); // first report
        Assert.Null(AuditContinuity.Check(null, null));
        Assert.Null(AuditContinuity.Check(seen, seen)); // nothing new
        Assert.Null(AuditContinuity.Check(seen, new AuditFacts(7, [Cp(6, "h6", "h4")]))); // follows the one seen
        Assert.Null(AuditContinuity.Check(new AuditFacts(1, []), new AuditFacts(3, [Cp(2, "h2", "g")]))); // first checkpoint

        Assert.StartsWith("gone:", AuditContinuity.Check(seen, null));
        Assert.StartsWith("gone:", AuditContinuity.Check(seen, new AuditFacts(4, [])));
        Assert.StartsWith("truncated: the audit log went back from 4 to 3", AuditContinuity.Check(seen, new AuditFacts(3, [Cp(2, "h2", "g")])));
        Assert.StartsWith("truncated: the newest audit checkpoint covers 2", AuditContinuity.Check(seen, new AuditFacts(5, [Cp(2, "x2", "g")])));
        Assert.StartsWith("rewritten:", AuditContinuity.Check(seen, new AuditFacts(6, [Cp(4, "x4", "x2"), Cp(6, "x6", "x4")])));
        Assert.StartsWith("gap:", AuditContinuity.Check(seen, new AuditFacts(9, [Cp(8, "h8", "h6")])));
        Assert.StartsWith("replaced:", AuditContinuity.Check(new AuditFacts(5, [Cp(5, "h5", "g")]), new AuditFacts(9, [Cp(4, "x4", "g"), Cp(8, "x8", "x4")])));
        Assert.StartsWith("inconsistent:", AuditContinuity.Check(seen, new AuditFacts(9, [Cp(4, "h4", "h2"), Cp(6, "h6", "zz")])));
        Assert.StartsWith("inconsistent:", AuditContinuity.Check(null, new AuditFacts(9, [Cp(4, "h4", "h2"), Cp(4, "h5", "h4")])));
        Assert.StartsWith("truncated: the audit log holds 3 entries but its newest checkpoint covers 4", AuditContinuity.Check(null, new AuditFacts(3, [Cp(4, "h4", "h2")])));
        Assert.Equal("gap", AuditContinuity.Code("gap: x: y"));
    }
}
