using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.Ops.Advisories;

/// <summary>Reads and writes the feed payload (the JSON inside the signed envelope). Parsing is
/// strict about the fields it knows and ignores fields it does not, so an old build can still read
/// the advisories of a newer feed: the builds that most need to see an advisory are old ones.</summary>
public static class AdvisoryFeedJson
{
    public const int MaxAdvisories = 10_000;
    public const int MaxSummaryLength = 4_000;
    public const int MaxIdLength = 64;

    public static bool TryParse(ReadOnlySpan<byte> json, out AdvisoryFeed feed, out string error)
    {
        feed = null!;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            feed = ReadFeed(doc.RootElement);
            error = "";
            return true;
        }
        catch (JsonException ex)
        {
            error = $"feed is not valid JSON: {ex.Message}";
        }
        catch (FormatException ex)
        {
            error = $"feed is invalid: {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            error = $"feed is invalid: {ex.Message}";
        }
        catch (KeyNotFoundException ex)
        {
            error = $"feed is invalid: {ex.Message}";
        }
        return false;
    }

    public static byte[] Write(AdvisoryFeed feed)
    {
        var root = new JsonObject
        {
            ["product"] = AdvisoryFeed.Product,
            ["serial"] = feed.Serial,
            ["published"] = Time(feed.Published),
            ["advisories"] = new JsonArray(feed.Advisories.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["severity"] = a.Severity.ToWire(),
                ["affectedFrom"] = a.AffectedFrom,
                ["affectedTo"] = a.AffectedTo,
                ["fixedIn"] = a.FixedIn,
                ["summary"] = a.Summary,
                ["published"] = Time(a.Published),
            }).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true });
    }

    private static AdvisoryFeed ReadFeed(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("the feed must be a JSON object");
        var product = Required(root, "product").GetString();
        if (product != AdvisoryFeed.Product) throw new FormatException($"product must be \"{AdvisoryFeed.Product}\"");
        var serial = Required(root, "serial").GetInt64();
        if (serial < 1) throw new FormatException("serial must be a positive integer");
        var list = Required(root, "advisories");
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException("advisories must be an array");
        if (list.GetArrayLength() > MaxAdvisories) throw new FormatException($"more than {MaxAdvisories} advisories");
        var advisories = list.EnumerateArray().Select(ReadAdvisory).ToArray();
        var duplicate = advisories.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new FormatException($"advisory {duplicate.Key} appears twice");
        return new AdvisoryFeed(serial, ReadTime(root, "published"), advisories);
    }

    private static Advisory ReadAdvisory(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new FormatException("each advisory must be an object");
        var id = Required(e, "id").GetString() ?? "";
        if (!IsValidId(id)) throw new FormatException($"advisory id \"{Printable(id)}\" must be 1-{MaxIdLength} letters, digits, '.', '_' or '-'");
        if (!AdvisorySeverityNames.TryParse(Required(e, "severity").GetString(), out var severity))
            throw new FormatException($"advisory {id}: severity must be one of low, medium, high, critical");
        var from = Required(e, "affectedFrom").GetInt32();
        var to = Required(e, "affectedTo").GetInt32();
        if (from < 0 || to < from) throw new FormatException($"advisory {id}: affectedFrom..affectedTo is not a range of build numbers");
        int? fixedIn = e.TryGetProperty("fixedIn", out var f) && f.ValueKind != JsonValueKind.Null ? f.GetInt32() : null;
        if (fixedIn is { } fx && fx <= to) throw new FormatException($"advisory {id}: fixedIn must be after affectedTo");
        var summary = Required(e, "summary").GetString() ?? "";
        if (summary.Length is 0 or > MaxSummaryLength || summary.Any(char.IsControl))
            throw new FormatException($"advisory {id}: summary must be 1-{MaxSummaryLength} characters without control characters");
        return new Advisory(id, severity, from, to, fixedIn, summary, ReadTime(e, "published"));
    }

    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= MaxIdLength && char.IsAsciiLetterOrDigit(id[0]) &&
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static JsonElement Required(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"\"{name}\" is missing");

    private static DateTimeOffset ReadTime(JsonElement e, string name) =>
        DateTimeOffset.TryParse(Required(e, name).GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new FormatException($"\"{name}\" must be an ISO 8601 time");

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Printable(string s) => new(s.Take(MaxIdLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
