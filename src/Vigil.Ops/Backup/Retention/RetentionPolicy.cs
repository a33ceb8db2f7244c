using System.Globalization;
using Vigil.Ops.Backup.Format;

namespace Vigil.Ops.Backup.Retention;

/// <summary>Which restore points to keep: the newest point of each of the last <see cref="Hourly"/>
/// hours that have one, of each of the last <see cref="Daily"/> days, and of each of the last
/// <see cref="Weekly"/> ISO weeks (UTC). A point kept by any rule is kept; the newest point is
/// always kept. Pure, so the rules are tested on their own.</summary>
public sealed record RetentionPolicy(int Hourly = 48, int Daily = 14, int Weekly = 8)
{
    public IReadOnlySet<RestorePointId> Keep(IEnumerable<RestorePointId> points)
    {
        var newestFirst = points.OrderDescending().ToList();
        var keep = new HashSet<RestorePointId>();
        if (newestFirst.Count > 0) keep.Add(newestFirst[0]);
        Apply(newestFirst, Hourly, t => t.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), keep);
        Apply(newestFirst, Daily, t => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture), keep);
        Apply(newestFirst, Weekly, t => $"{ISOWeek.GetYear(t)}-{ISOWeek.GetWeekOfYear(t)}", keep);
        return keep;
    }

    private static void Apply(List<RestorePointId> newestFirst, int count, Func<DateTime, string> bucketOf, HashSet<RestorePointId> keep)
    {
        string? last = null;
        var kept = 0;
        foreach (var id in newestFirst)
        {
            if (kept >= count) return;
            var bucket = bucketOf(id.Time.UtcDateTime);
            if (bucket == last) continue;
            last = bucket;
            keep.Add(id);
            kept++;
        }
    }
}
