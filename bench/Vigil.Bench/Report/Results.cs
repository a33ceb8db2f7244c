using System.Globalization;

namespace Vigil.Bench.Report;

/// <summary>The results file shared by bench/run.sh and this tool: one tab-separated line per
/// figure (workload, server, metric, value, unit, note).</summary>
public static class Results
{
    public static void Append(string? file, string workload, string server, string metric, double value, string unit, string note = "")
    {
        var v = value.ToString(value >= 100 ? "F0" : "F2", CultureInfo.InvariantCulture);
        var line = $"{workload}\t{server}\t{metric}\t{v}\t{unit}\t{note}";
        Console.Error.WriteLine($"result: {workload} / {server} / {metric} = {v} {unit} {note}");
        if (file is not null) File.AppendAllText(file, line + "\n");
    }
}
