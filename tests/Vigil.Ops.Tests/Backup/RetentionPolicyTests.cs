using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Retention;

namespace Vigil.Ops.Tests.Backup;

public class RetentionPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hourly_points_for_ten_weeks_keep_48_hourly_14_daily_8_weekly()
    {
        var points = Enumerable.Range(0, 24 * 70).Select(h => RestorePointId.For(Start.AddHours(h))).ToList();
        var keep = new RetentionPolicy().Keep(points);
        var newest = points[^1];
        Assert.Contains(newest, keep);
        // the last 48 hours are all kept
        Assert.All(points.TakeLast(48), p => Assert.Contains(p, keep));
        // older than 48 h: one per day (the newest of that day, 23:00) for 14 days in total
        var dailyOlder = keep.Where(p => p.Time < newest.Time.AddHours(-47)).ToList();
        Assert.All(dailyOlder, p => Assert.Equal(23, p.Time.Hour));
        // The newest point is Wed 11 March 23:00. 48 hourly; 14 daily of which 2 fall in the hourly
        // window; 8 weekly of which the 3 newest weeks (9, 2 March, 23 Feb) are already kept.
        var weeks = keep.Select(p => System.Globalization.ISOWeek.GetWeekOfYear(p.Time.UtcDateTime)).Distinct().Count();
        Assert.Equal(8, weeks);
        Assert.Equal(48 + 12 + 5, keep.Count);
    }

    [Fact]
    public void Several_points_in_one_hour_keep_the_newest_of_it()
    {
        var a = RestorePointId.For(Start);
        var b = RestorePointId.For(Start.AddMinutes(20));
        var c = RestorePointId.For(Start.AddMinutes(20), 1);
        var keep = new RetentionPolicy(Hourly: 1, Daily: 0, Weekly: 0).Keep([a, b, c]);
        Assert.Equal([c], keep);
    }

    [Fact]
    public void Nothing_to_keep_from_nothing() => Assert.Empty(new RetentionPolicy().Keep([]));
}
