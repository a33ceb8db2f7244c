namespace Vigil.Security.Audit;

/// <summary>The filters of <c>vigil audit show</c>. An action ending in <c>*</c> or <c>.</c> matches
/// every action with that prefix (<c>user.</c> finds user.add, user.passwd, …).</summary>
public sealed record AuditQuery(DateTimeOffset? Since = null, string? Actor = null, string? Action = null)
{
    public bool Matches(AuditRecord record)
    {
        if (Since is { } since && record.Time < since) return false;
        if (Actor is not null && !string.Equals(record.Actor, Actor, StringComparison.OrdinalIgnoreCase)) return false;
        if (Action is null) return true;
        if (Action.EndsWith('*')) return record.Action.StartsWith(Action[..^1], StringComparison.OrdinalIgnoreCase);
        if (Action.EndsWith('.')) return record.Action.StartsWith(Action, StringComparison.OrdinalIgnoreCase);
        return string.Equals(record.Action, Action, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Parses <c>--since</c>: an ISO 8601 time ("2026-01-15", "2026-01-15T08:00Z") or an age
    /// counted back from <paramref name="now"/> ("30m", "6h", "7d").</summary>
    public static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1]) && long.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            TimeSpan? age = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                'w' => TimeSpan.FromDays(7 * n),
                _ => null,
            };
            if (age is null) return false;
            since = now - age.Value;
            return true;
        }
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out since);
    }
}
