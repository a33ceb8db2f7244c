using System.Globalization;
using System.Text;

namespace Vigil.Protocols.Imap.Protocol;

/// <summary>One element of a sequence set; 0 stands for "*" (the largest number in use).</summary>
public readonly record struct SequenceRange(uint First, uint Last)
{
    public const uint Star = 0;
}

/// <summary>An IMAP sequence set (RFC 9051 §9 sequence-set), or "$", the saved search result
/// (RFC 5182). Resolution follows RFC 9051 §9: "x:y" equals "y:x", and "*" is the largest
/// number in use, so "UID 100:*" includes the highest UID even when it is below 100.</summary>
public sealed class SequenceSet
{
    public static readonly SequenceSet Saved = new([], saved: true);

    private SequenceSet(IReadOnlyList<SequenceRange> ranges, bool saved)
    {
        Ranges = ranges;
        IsSavedResult = saved;
    }

    public IReadOnlyList<SequenceRange> Ranges { get; }

    public bool IsSavedResult { get; }

    public static SequenceSet Of(IEnumerable<SequenceRange> ranges) => new(ranges.ToList(), saved: false);

    public static bool TryParse(ReadOnlySpan<byte> text, out SequenceSet set)
    {
        set = Saved;
        if (text.SequenceEqual("$"u8)) return true;
        var ranges = new List<SequenceRange>();
        while (true)
        {
            if (!TryNumber(ref text, out var first)) return false;
            var last = first;
            if (!text.IsEmpty && text[0] == (byte)':')
            {
                text = text[1..];
                if (!TryNumber(ref text, out last)) return false;
            }
            ranges.Add(new SequenceRange(first, last));
            if (text.IsEmpty) break;
            if (text[0] != (byte)',') return false;
            text = text[1..];
        }
        set = new SequenceSet(ranges, saved: false);
        return true;
    }

    private static bool TryNumber(ref ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        if (text.IsEmpty) return false;
        if (text[0] == (byte)'*')
        {
            text = text[1..];
            return true;
        }
        var i = 0;
        ulong v = 0;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9')
        {
            v = v * 10 + (ulong)(text[i] - '0');
            if (v > uint.MaxValue) return false;
            i++;
        }
        if (i == 0 || v == 0 || text[0] == (byte)'0') return false; // nz-number
        value = (uint)v;
        text = text[i..];
        return true;
    }

    /// <summary>Resolves message sequence numbers against a mailbox of <paramref name="count"/>
    /// messages. False when a number lies outside the mailbox (the command gets BAD).</summary>
    public bool TryResolveSequence(int count, out List<int> numbers)
    {
        numbers = [];
        var hit = new bool[count + 1];
        foreach (var r in Ranges)
        {
            var a = r.First == SequenceRange.Star ? (uint)count : r.First;
            var b = r.Last == SequenceRange.Star ? (uint)count : r.Last;
            if (a == 0 || b == 0 || a > count || b > count) return false;
            var (lo, hi) = a <= b ? (a, b) : (b, a);
            for (var n = lo; n <= hi; n++) hit[n] = true;
        }
        for (var n = 1; n <= count; n++)
        {
            if (hit[n]) numbers.Add(n);
        }
        return true;
    }

    /// <summary>The 1-based positions in <paramref name="uids"/> (ascending) of the UIDs this set
    /// names. UIDs that are not in the mailbox are ignored, as RFC 9051 §6.4.9 requires.</summary>
    public List<int> ResolveUids(IReadOnlyList<uint> uids)
    {
        var result = new List<int>();
        if (uids.Count == 0) return result;
        var max = uids[^1];
        var hit = new bool[uids.Count];
        foreach (var r in Ranges)
        {
            var a = r.First == SequenceRange.Star ? max : r.First;
            var b = r.Last == SequenceRange.Star ? max : r.Last;
            var (lo, hi) = a <= b ? (a, b) : (b, a);
            for (var i = LowerBound(uids, lo); i < uids.Count && uids[i] <= hi; i++) hit[i] = true;
        }
        for (var i = 0; i < hit.Length; i++)
        {
            if (hit[i]) result.Add(i + 1);
        }
        return result;
    }

    /// <summary>True when <paramref name="value"/> is in the set, "*" standing for <paramref name="max"/>.</summary>
    public bool Contains(uint value, uint max)
    {
        foreach (var r in Ranges)
        {
            var a = r.First == SequenceRange.Star ? max : r.First;
            var b = r.Last == SequenceRange.Star ? max : r.Last;
            var (lo, hi) = a <= b ? (a, b) : (b, a);
            if (value >= lo && value <= hi) return true;
        }
        return false;
    }

    /// <summary>Every number the set names when "*" is <paramref name="max"/>, ascending,
    /// capped at <paramref name="limit"/> values.</summary>
    public List<uint> Expand(uint max, int limit)
    {
        var set = new SortedSet<uint>();
        foreach (var r in Ranges)
        {
            var a = r.First == SequenceRange.Star ? max : r.First;
            var b = r.Last == SequenceRange.Star ? max : r.Last;
            var (lo, hi) = a <= b ? (a, b) : (b, a);
            for (var v = lo; v <= hi && set.Count < limit; v++)
            {
                set.Add(v);
                if (v == uint.MaxValue) break;
            }
        }
        return set.ToList();
    }

    internal static int LowerBound(IReadOnlyList<uint> sorted, uint value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Writes ascending numbers in the shortest form: "1:3,7,9:10".</summary>
    public static string Format(IEnumerable<uint> ascending)
    {
        var sb = new StringBuilder();
        uint start = 0, prev = 0;
        var open = false;
        foreach (var v in ascending)
        {
            if (open && v == prev + 1)
            {
                prev = v;
                continue;
            }
            if (open) AppendRun(sb, start, prev);
            start = prev = v;
            open = true;
        }
        if (open) AppendRun(sb, start, prev);
        return sb.ToString();
    }

    private static void AppendRun(StringBuilder sb, uint start, uint end)
    {
        if (sb.Length > 0) sb.Append(',');
        sb.Append(start.ToString(CultureInfo.InvariantCulture));
        if (end != start) sb.Append(':').Append(end.ToString(CultureInfo.InvariantCulture));
    }

    public override string ToString()
    {
        if (IsSavedResult) return "$";
        return string.Join(',', Ranges.Select(r => r.First == r.Last ? Num(r.First) : Num(r.First) + ":" + Num(r.Last)));
        static string Num(uint v) => v == SequenceRange.Star ? "*" : v.ToString(CultureInfo.InvariantCulture);
    }
}
