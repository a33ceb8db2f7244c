using System.Globalization;
using System.Text;

namespace Vigil.Bench.Report;

/// <summary>Turns the results file into one table: a row per workload and figure, a column per
/// server, and Vigil's ratio against the other server, oriented so that above 1 means Vigil is
/// better (more per second, or less time/memory).</summary>
public static class ReportTable
{
    private static readonly string[] HigherIsBetter = ["msgs/s", "cmd/s"];
    private static readonly string[] LowerIsBetter = ["ms", "s", "MB"];

    public static int Print(string resultsFile, string? markdownOut)
    {
        var rows = File.ReadAllLines(resultsFile)
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(f => new Row(f[0], f[1], f[2], f[3], f[4], f.Length > 5 ? f[5] : ""))
            .ToList();
        var sb = new StringBuilder();
        sb.AppendLine("| workload | figure | Vigil | Postfix / Dovecot | Vigil vs other | notes |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | --- |");
        foreach (var group in rows.GroupBy(r => (r.Workload, r.Metric)))
        {
            var vigil = group.LastOrDefault(r => r.Server == "vigil");
            var other = group.LastOrDefault(r => r.Server != "vigil");
            var unit = (vigil ?? other)!.Unit;
            var notes = string.Join("; ", group.Where(r => r.Note.Length > 0).Select(r => $"{r.Server}: {r.Note}"));
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Workload} | {group.Key.Metric} ({unit}) | {vigil?.Value ?? "n/a"} | {(other is null ? "n/a" : $"{other.Value} ({other.Server})")} | {Ratio(vigil, other, unit)} | {notes} |");
        }
        Console.Write(sb.ToString());
        if (markdownOut is not null) File.WriteAllText(markdownOut, sb.ToString());
        return 0;
    }

    private static string Ratio(Row? vigil, Row? other, string unit)
    {
        if (vigil is null || other is null) return "";
        if (!double.TryParse(vigil.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ||
            !double.TryParse(other.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var o) || v <= 0 || o <= 0) return "";
        if (HigherIsBetter.Contains(unit)) return (v / o).ToString("F2", CultureInfo.InvariantCulture) + "×";
        if (LowerIsBetter.Contains(unit)) return (o / v).ToString("F2", CultureInfo.InvariantCulture) + "×";
        return "";
    }

    private sealed record Row(string Workload, string Server, string Metric, string Value, string Unit, string Note);
}
