using System.Text.Json;
using Vigil.Ops.Files;

namespace Vigil.Ops.Fleet.Member;

/// <summary>How the member's last attempt to report went (for <c>vigil status</c>).</summary>
public sealed record LastReport(DateTimeOffset At, bool Ok, string Detail);

public sealed class LastReportStore(FleetPaths paths)
{
    public LastReport? Load()
    {
        try
        {
            return File.Exists(paths.LastReport) ? JsonSerializer.Deserialize<LastReport>(File.ReadAllBytes(paths.LastReport)) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    internal void Save(LastReport report) => AtomicFile.WriteAllBytes(paths.LastReport, JsonSerializer.SerializeToUtf8Bytes(report));
}
