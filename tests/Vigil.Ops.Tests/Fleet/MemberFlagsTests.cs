using Vigil.Ops.Advisories;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Fleet;

public class MemberFlagsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly FleetOptions Options = new();

    [Fact]
    public void A_healthy_member_has_no_flags()
    {
        using var rig = new FleetRig();
        Assert.Empty(MemberFlags.Evaluate(Stored(rig.Heartbeat(), Now), null, Now, Options));
    }

    [Fact]
    public void Silent_after_three_missed_intervals_or_never_heard_of()
    {
        using var rig = new FleetRig();
        var stored = Stored(rig.Heartbeat(), Now);
        Assert.Empty(MemberFlags.Evaluate(stored, null, Now.AddSeconds(3), Options));
        Assert.Equal("SILENT", Assert.Single(MemberFlags.Evaluate(stored, null, Now.AddSeconds(3.5), Options)).Name);
        Assert.Equal("SILENT(never reported)", Assert.Single(MemberFlags.Evaluate(null, null, Now, Options)).ToString());
    }

    [Fact]
    public void Outdated_by_the_members_own_report_or_by_the_consoles_feed()
    {
        using var rig = new FleetRig();
        var ownReport = rig.Heartbeat(advisories: new AdvisoryFacts("OUTDATED", "fresh", 3, Now, "high", ["VSA-1"], null));
        Assert.Equal("OUTDATED(high)", Assert.Single(MemberFlags.Evaluate(Stored(ownReport, Now), null, Now, Options)).ToString());

        // A member that cannot see advisories is still flagged by the console's own feed.
        var blind = rig.Heartbeat(build: 12, advisories: new AdvisoryFacts("NO-FEED", "missing", null, null, null, [], null));
        var feed = new AdvisoryFeed(9, Now, [FeedMaker.Advisory("VSA-2", AdvisorySeverity.Critical, 10, 20)]);
        var flags = MemberFlags.Evaluate(Stored(blind, Now), feed, Now, Options).Select(f => f.ToString()).ToArray();
        Assert.Equal(["OUTDATED(critical)", "FEED-STALE(no feed)"], flags);
        Assert.Equal(["VSA-2"], MemberFlags.AdvisoryIds(blind, feed));
    }

    [Fact]
    public void Exposed_when_a_listener_beyond_loopback_was_not_declared_public()
    {
        using var rig = new FleetRig();
        ListenerFacts[] listeners =
        [
            new("smtp", "smtp", "0.0.0.0", 25, false, true, true),
            new("imap", "imap", "0.0.0.0", 143, false, true, false),
            new("pop3", "pop3", "127.0.0.1", 110, false, false, false),
        ];
        var flags = MemberFlags.Evaluate(Stored(rig.Heartbeat(listeners: listeners), Now), null, Now, Options);
        Assert.Equal("EXPOSED(imap)", Assert.Single(flags).ToString());
    }

    [Fact]
    public void Locked_down_integrity_and_backup_flags_come_from_their_features_reports()
    {
        using var rig = new FleetRig();
        var hb = rig.Heartbeat() with { Lockdown = new LockdownFacts(true, "incident"), Integrity = new ProblemFacts(true, "unknown file"), Backup = new ProblemFacts(true, "2 days old") };
        Assert.Equal(["LOCKED-DOWN", "INTEGRITY", "BACKUP-STALE"], MemberFlags.Evaluate(Stored(hb, Now), null, Now, Options).Select(f => f.Name));
    }

    private static StoredHeartbeat Stored(Heartbeat hb, DateTimeOffset at) => new(at, "127.0.0.1", hb);
}
