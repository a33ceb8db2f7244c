using Vigil.Ops.Backup;
using Vigil.Ops.Backup.Scheduling;

namespace Vigil.Ops.Tests.Backup;

public class BackupStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly BackupSettings Hourly = new() { Target = "/backup" };

    [Fact]
    public void Recent_point_is_ok() =>
        Assert.Equal(BackupHealth.Ok, BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddMinutes(-50) }, Now).Health);

    [Fact]
    public void A_point_older_than_twice_the_schedule_is_stale_for_the_fleet()
    {
        var r = BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddMinutes(-121), LastError = "disk full", LastErrorAt = Now.AddMinutes(-5) }, Now);
        Assert.Equal(BackupHealth.Stale, r.Health);
        Assert.True(r.IsStale);
        Assert.Contains("disk full", r.Problem);
        Assert.False(BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddMinutes(-119) }, Now).IsStale);
    }

    [Fact]
    public void No_point_yet_is_stale_and_no_target_is_off()
    {
        Assert.Equal(BackupHealth.Stale, BackupStatus.Evaluate(Hourly, new BackupState(), Now).Health);
        Assert.Equal(BackupHealth.Off, BackupStatus.Evaluate(new BackupSettings(), new BackupState { LastSuccess = Now }, Now).Health);
    }

    [Fact]
    public void A_failed_run_after_a_recent_point_is_failing_and_damage_is_reported()
    {
        Assert.Equal(BackupHealth.Failing, BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddMinutes(-30), LastErrorAt = Now.AddMinutes(-1), LastError = "x" }, Now).Health);
        var damaged = BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddMinutes(-30), LastVerifyOk = false, LastVerifyProblem = "blobs/ab/x: changed" }, Now);
        Assert.Equal(BackupHealth.VerifyFailed, damaged.Health);
        Assert.Equal("blobs/ab/x: changed", damaged.Problem);
    }

    [Fact]
    public void Damage_shows_without_a_schedule_and_does_not_hide_staleness()
    {
        Assert.Equal(BackupHealth.VerifyFailed, BackupStatus.Evaluate(new BackupSettings(), new BackupState { LastVerifyOk = false }, Now).Health);
        var both = BackupStatus.Evaluate(Hourly, new BackupState { LastSuccess = Now.AddDays(-1), LastVerifyOk = false }, Now);
        Assert.Equal(BackupHealth.VerifyFailed, both.Health);
        Assert.True(both.IsStale);
    }

    [Fact]
    public void The_scheduler_is_due_at_once_without_history_and_then_after_the_interval()
    {
        Assert.Equal(Now, BackupScheduler.Next(new BackupState(), Hourly, Now));
        var s = new BackupState { LastAttempt = Now.AddMinutes(-10), LastSuccess = Now.AddMinutes(-10), LastVerify = Now.AddMinutes(-5) };
        Assert.Equal(Now.AddMinutes(50), BackupScheduler.Next(s, Hourly, Now));
    }
}

public class BackupFleetFactsTests
{
    private static readonly BackupSettings Hourly = new() { Target = "/backup" };

    private sealed class Fixed(BackupSettings settings, BackupState state) : IBackupStatus
    {
        public BackupStatusReport Current(DateTimeOffset now) => BackupStatus.Evaluate(settings, state, now);
    }

    [Fact]
    public void Stale_or_damaged_is_a_problem_for_the_console_and_recent_is_not()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.False(new BackupFleetFacts(new Fixed(Hourly, new BackupState { LastSuccess = now.AddMinutes(-10), LastPoint = "p" })).Current().Problem);
        var stale = new BackupFleetFacts(new Fixed(Hourly, new BackupState { LastSuccess = now.AddHours(-3) })).Current();
        Assert.True(stale.Problem);
        Assert.StartsWith("stale:", stale.Detail);
        Assert.True(new BackupFleetFacts(new Fixed(Hourly, new BackupState { LastSuccess = now, LastVerifyOk = false, LastVerifyProblem = "x" })).Current().Problem);
        var off = new BackupFleetFacts(new Fixed(new BackupSettings(), new BackupState())).Current();
        Assert.False(off.Problem);
        Assert.Contains("no scheduled backups", off.Detail);
    }
}
