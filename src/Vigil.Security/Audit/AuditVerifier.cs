using System.Text.Json;

namespace Vigil.Security.Audit;

/// <summary>Walks every segment of the audit log in chain order and checks, for each line, that it
/// is an entry, that its sequence number follows the previous one, that its <c>prev</c> is the
/// SHA-256 of the previous line, and that it matches any signed checkpoint taken at that entry.
/// The newest checkpoint must not lie beyond the end of the log (a truncated tail).</summary>
public static class AuditVerifier
{
    private sealed record Entry(string File, long Line, byte[] Bytes, bool Terminated, long? Seq, string? Prev)
    {
        public string Hash => JsonlAuditLog.HashLine(Bytes);
    }

    /// <param name="trustedKey">The instance public key checkpoints must be signed with; null when
    /// the key is unavailable (signatures are then not checked, only the chain).</param>
    public static AuditVerification Verify(AuditFiles files, byte[]? trustedKey)
    {
        var checkpoints = ReadCheckpoints(files, trustedKey, out var checkpointBreak);
        if (checkpointBreak is not null) return new AuditVerification(0, checkpoints.Count, trustedKey is not null, checkpointBreak);

        var expected = 1L;
        var previousHash = JsonlAuditLog.GenesisHash;
        Entry? previous = null;
        using var lines = ReadEntries(files).GetEnumerator();
        var current = lines.MoveNext() ? lines.Current : null;
        while (current is not null)
        {
            var next = lines.MoveNext() ? lines.Current : null;
            var broken = Check(current, next, previous, expected, previousHash, checkpoints);
            if (broken is not null) return new AuditVerification(expected - 1, checkpoints.Count, trustedKey is not null, broken);
            expected++;
            previousHash = current.Hash;
            previous = current;
            current = next;
        }

        var last = expected - 1;
        if (checkpoints.Count > 0)
        {
            var newest = checkpoints.Values.MaxBy(c => c.Checkpoint.Seq)!;
            if (newest.Checkpoint.Seq > last)
            {
                return new AuditVerification(last, checkpoints.Count, trustedKey is not null, new AuditBreak(
                    last + 1, previous?.File ?? files.ActivePath, (previous?.Line ?? 0) + 1,
                    $"the log ends at entry {last} but the checkpoint signed {AuditCheckpoint.FormatTime(newest.Checkpoint.Time)} covers {newest.Checkpoint.Seq} entries: entries {last + 1}..{newest.Checkpoint.Seq} were cut off (tail truncated)"));
            }
        }
        return new AuditVerification(last, checkpoints.Count, trustedKey is not null, null);
    }

    private static AuditBreak? Check(Entry line, Entry? next, Entry? previous, long expected, string previousHash, Dictionary<long, (AuditCheckpoint Checkpoint, long Line)> checkpoints)
    {
        if (!line.Terminated) return new AuditBreak(expected, line.File, line.Line, "the last line is incomplete (cut mid-line, or a write was interrupted)");
        if (line.Seq is not { } seq || line.Prev is null) return new AuditBreak(expected, line.File, line.Line, "this line is not an audit entry (inserted or edited)");
        if (seq < expected)
        {
            var where = previous is null ? "" : $" (line {previous.Line} already holds entry {expected - 1})";
            return new AuditBreak(seq, line.File, line.Line, $"entry {seq} appears again{where}: a line was inserted or duplicated");
        }
        if (seq > expected)
        {
            var range = seq - 1 == expected ? $"entry {expected} is" : $"entries {expected}..{seq - 1} are";
            return new AuditBreak(expected, line.File, line.Line, $"{range} missing before this line (deleted)");
        }
        if (!string.Equals(line.Prev, previousHash, StringComparison.Ordinal))
        {
            // One line of look-ahead tells an inserted line (the next line still chains to the one
            // before it) from an edited previous line (nothing chains to its new bytes).
            if (previous is not null && next?.Prev == previousHash)
            {
                return new AuditBreak(seq, line.File, line.Line, "this line was inserted: the next line chains to the line before it");
            }
            return previous is null
                ? new AuditBreak(seq, line.File, line.Line, "the first entry does not start the chain (edited, or earlier entries were removed)")
                : new AuditBreak(expected - 1, previous.File, previous.Line, $"entry {expected - 1} was changed after it was written: entry {seq} on line {line.Line} recorded a different hash for it");
        }
        if (checkpoints.TryGetValue(seq, out var cp) && cp.Checkpoint.EntryHash != line.Hash)
        {
            return new AuditBreak(seq, line.File, line.Line, $"entry {seq} does not match the checkpoint signed {AuditCheckpoint.FormatTime(cp.Checkpoint.Time)} (checkpoints line {cp.Line}): edited, or the chain was rewritten");
        }
        return null;
    }

    private static IEnumerable<Entry> ReadEntries(AuditFiles files)
    {
        foreach (var segment in files.Segments())
        {
            foreach (var line in AuditLines.Read(segment))
            {
                var bytes = line.Bytes.ToArray();
                var (seq, prev) = Parse(bytes);
                yield return new Entry(segment, line.Number, bytes, line.Terminated, seq, prev);
            }
        }
    }

    private static (long? Seq, string? Prev) Parse(byte[] line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            long? seq = root.TryGetProperty("seq", out var s) && s.TryGetInt64(out var n) ? n : null;
            var prev = root.TryGetProperty("prev", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return (seq, prev);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static Dictionary<long, (AuditCheckpoint Checkpoint, long Line)> ReadCheckpoints(AuditFiles files, byte[]? trustedKey, out AuditBreak? broken)
    {
        broken = null;
        var result = new Dictionary<long, (AuditCheckpoint, long)>();
        var prev = JsonlAuditLog.GenesisHash;
        var lastSeq = 0L;
        foreach (var line in AuditLines.Read(files.CheckpointsPath))
        {
            string? problem = null;
            AuditCheckpoint? cp = null;
            if (!line.Terminated || !AuditCheckpoint.TryParse(line.Bytes.Span, out cp)) problem = "this checkpoint line is not a checkpoint (inserted, edited or cut)";
            else if (trustedKey is not null && !cp!.SignatureValid(trustedKey)) problem = "this checkpoint's signature does not verify with the instance key (forged or edited)";
            else if (cp!.Prev != prev) problem = "this checkpoint does not chain to the one before it (a checkpoint was removed, inserted or edited)";
            else if (cp.Seq <= lastSeq) problem = $"this checkpoint's entry {cp.Seq} is not after the previous checkpoint's {lastSeq}";
            if (problem is not null)
            {
                broken = new AuditBreak(cp?.Seq ?? lastSeq + 1, files.CheckpointsPath, line.Number, problem);
                return result;
            }
            result[cp!.Seq] = (cp, line.Number);
            prev = AuditCheckpoint.Hash(line.Bytes.Span);
            lastSeq = cp.Seq;
        }
        return result;
    }
}
