using System.Globalization;

namespace Vigil.Security.Audit;

/// <summary>The files of the audit log: the active segment <c>audit.jsonl</c>, closed segments
/// <c>audit-&lt;first seq&gt;.jsonl</c> (the chain runs on across them), the signed checkpoints
/// and the writers' lock file.</summary>
public sealed class AuditFiles(string directory)
{
    public const string ActiveName = "audit.jsonl";
    public const string CheckpointsName = "checkpoints.jsonl";
    public const string LockName = ".lock";
    private const string SegmentPrefix = "audit-";
    private const string SegmentSuffix = ".jsonl";

    public string Directory { get; } = directory;
    public string ActivePath => Path.Combine(Directory, ActiveName);
    public string CheckpointsPath => Path.Combine(Directory, CheckpointsName);
    public string LockPath => Path.Combine(Directory, LockName);

    /// <summary>The name a segment gets when it is closed: its first sequence number, zero-padded so
    /// names sort in chain order.</summary>
    public static string SegmentName(long firstSeq) => SegmentPrefix + firstSeq.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix;

    /// <summary>True for names this log writes (used by the data-directory layout rule too).</summary>
    public static bool IsLogFileName(string name) =>
        name is ActiveName or CheckpointsName or LockName || TryParseSegment(name, out _);

    public static bool TryParseSegment(string name, out long firstSeq)
    {
        firstSeq = 0;
        if (!name.StartsWith(SegmentPrefix, StringComparison.Ordinal) || !name.EndsWith(SegmentSuffix, StringComparison.Ordinal)) return false;
        var digits = name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentSuffix.Length);
        return digits.Length == 12 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out firstSeq);
    }

    /// <summary>Every segment in chain order: closed segments by first sequence number, then the active one.</summary>
    public IReadOnlyList<string> Segments()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var closed = System.IO.Directory.EnumerateFiles(Directory, SegmentPrefix + "*" + SegmentSuffix)
            .Select(p => (Path: p, Ok: TryParseSegment(Path.GetFileName(p), out var seq), Seq: seq))
            .Where(s => s.Ok)
            .OrderBy(s => s.Seq)
            .Select(s => s.Path)
            .ToList();
        if (File.Exists(ActivePath)) closed.Add(ActivePath);
        return closed;
    }
}
