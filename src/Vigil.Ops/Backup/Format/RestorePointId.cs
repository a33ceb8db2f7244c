using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Ops.Backup.Format;

/// <summary>A restore point's name: its UTC creation time, <c>20260115T140000Z</c>, with a
/// <c>-N</c> suffix when two are made in the same second. Sorting the names sorts by time. Parsed
/// strictly, because an id typed on the command line becomes part of a target path.</summary>
public readonly partial record struct RestorePointId : IComparable<RestorePointId>
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmss'Z'";

    public string Value { get; }

    private RestorePointId(string value) => Value = value;

    public DateTimeOffset Time => DateTimeOffset.ParseExact(Value[..16], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static RestorePointId For(DateTimeOffset time, int sequence = 0)
    {
        var stamp = time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        return new RestorePointId(sequence == 0 ? stamp : $"{stamp}-{sequence.ToString(CultureInfo.InvariantCulture)}");
    }

    public static bool TryParse(string? value, out RestorePointId id)
    {
        id = default;
        if (value is null || !Shape().IsMatch(value)) return false;
        if (!DateTime.TryParseExact(value[..16], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)) return false;
        id = new RestorePointId(value);
        return true;
    }

    public static RestorePointId Parse(string value) =>
        TryParse(value, out var id) ? id : throw new FormatException($"'{value}' is not a restore point id (like 20260115T140000Z).");

    public int CompareTo(RestorePointId other)
    {
        var byTime = string.CompareOrdinal(Value[..16], other.Value[..16]);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    private int Sequence => Value.Length > 16 ? int.Parse(Value[17..], CultureInfo.InvariantCulture) : 0;

    public override string ToString() => Value;

    [GeneratedRegex(@"^\d{8}T\d{6}Z(-[1-9]\d{0,3})?$")]
    private static partial Regex Shape();
}
