using System.Globalization;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Console;

/// <summary>Checks that a member's audit log, as its heartbeats describe it, only ever grows: the
/// checkpoints in a heartbeat must continue the chain from the newest checkpoint the console saw
/// before, and the log must not get shorter. This catches what the member cannot catch itself: an
/// attacker holding the instance key who cuts the log and its checkpoints back to a consistent
/// earlier state, or rewrites the log and signs new checkpoints over it — <c>vigil audit verify</c>
/// on the member passes, but the console remembers what it saw (docs/audit.md).</summary>
public static class AuditContinuity
{
    public const string Gone = "gone";
    public const string Truncated = "truncated";
    public const string Rewritten = "rewritten";
    public const string Replaced = "replaced";
    public const string Gap = "gap";
    public const string Inconsistent = "inconsistent";

    /// <summary>Null when <paramref name="now"/> continues <paramref name="before"/>; otherwise
    /// "<c>code: explanation</c>" (code: gone, truncated, rewritten, replaced, gap, inconsistent).</summary>
    public static string? Check(AuditFacts? before, AuditFacts? now)
    {
        if (now is not null && Inconsistency(now) is { } own) return own;
        if (before is null) return null;
        var seen = before.Checkpoints.Count > 0 ? before.Checkpoints[^1] : null;
        if (now is null) return seen is null ? null : Problem(Gone, $"the heartbeat carries no audit checkpoints; the console saw one over {seen.Seq} entries");
        if (now.Entries < before.Entries) return Problem(Truncated, $"the audit log went back from {before.Entries} to {now.Entries} entries");
        if (seen is null) return null;
        if (now.Checkpoints.Count == 0) return Problem(Gone, $"the audit checkpoints are gone; the console saw one over {seen.Seq} entries");

        // Continuity: the checkpoint seen last is among those reported, or the first reported follows it.
        if (now.Checkpoints.Any(c => c.Hash == seen.Hash) || now.Checkpoints[0].Prev == seen.Hash) return null;
        var newest = now.Checkpoints[^1];
        if (newest.Seq < seen.Seq) return Problem(Truncated, $"the newest audit checkpoint covers {newest.Seq} entries; the console saw one over {seen.Seq}");
        if (now.Checkpoints.Any(c => c.Seq == seen.Seq)) return Problem(Rewritten, $"the audit checkpoint over {seen.Seq} entries is not the one the console saw: the log was rewritten and signed again");
        if (now.Checkpoints[0].Seq > seen.Seq)
            return Problem(Gap, $"the audit checkpoints reported do not reach back to the one over {seen.Seq} entries the console saw (more were written since than a heartbeat carries, or the log was replaced)");
        return Problem(Replaced, $"the audit checkpoints do not continue from the one over {seen.Seq} entries the console saw: the log was replaced");
    }

    /// <summary>The code of a problem text ("truncated" of "truncated: …").</summary>
    public static string Code(string problem)
    {
        var colon = problem.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? problem : problem[..colon];
    }

    /// <summary>The checkpoints of one heartbeat must chain to each other and the log must hold at
    /// least as many entries as its newest checkpoint covers.</summary>
    private static string? Inconsistency(AuditFacts now)
    {
        for (var i = 1; i < now.Checkpoints.Count; i++)
        {
            var (a, b) = (now.Checkpoints[i - 1], now.Checkpoints[i]);
            if (b.Prev != a.Hash || b.Seq <= a.Seq)
                return Problem(Inconsistent, $"the audit checkpoint over {b.Seq} entries does not follow the one over {a.Seq}");
        }
        if (now.Checkpoints.Count > 0 && now.Entries < now.Checkpoints[^1].Seq)
            return Problem(Truncated, $"the audit log holds {now.Entries} entries but its newest checkpoint covers {now.Checkpoints[^1].Seq}: its tail was cut");
        return null;
    }

    private static string Problem(string code, string text) => string.Create(CultureInfo.InvariantCulture, $"{code}: {text}");
}
