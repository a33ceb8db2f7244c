using System.Globalization;
using Vigil.Core.Delivery;

namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>The ESMTP parameters of MAIL FROM that Vigil advertises (RFC 1870, 6152, 6531, 3461, 4954).</summary>
public sealed record MailParameters(long? Size, BodyType Body, bool SmtpUtf8, DsnReturn Ret, string? EnvId, string? Auth)
{
    public static bool TryParse(IReadOnlyList<KeyValuePair<string, string?>> raw, out MailParameters result, out SmtpReply? error)
    {
        result = new MailParameters(null, BodyType.SevenBit, false, DsnReturn.Default, null, null);
        error = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            if (!seen.Add(key))
            {
                error = new SmtpReply(501, "5.5.4", $"Duplicate parameter {key}");
                return false;
            }
            switch (key)
            {
                case "SIZE" when value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size):
                    result = result with { Size = size };
                    break;
                case "BODY" when value is not null && value.Equals("7BIT", StringComparison.OrdinalIgnoreCase):
                    result = result with { Body = BodyType.SevenBit };
                    break;
                case "BODY" when value is not null && value.Equals("8BITMIME", StringComparison.OrdinalIgnoreCase):
                    result = result with { Body = BodyType.EightBitMime };
                    break;
                case "BODY" when value is not null && value.Equals("BINARYMIME", StringComparison.OrdinalIgnoreCase):
                    result = result with { Body = BodyType.BinaryMime };
                    break;
                case "SMTPUTF8" when value is null:
                    result = result with { SmtpUtf8 = true };
                    break;
                case "RET" when value is not null && value.Equals("FULL", StringComparison.OrdinalIgnoreCase):
                    result = result with { Ret = DsnReturn.Full };
                    break;
                case "RET" when value is not null && value.Equals("HDRS", StringComparison.OrdinalIgnoreCase):
                    result = result with { Ret = DsnReturn.Headers };
                    break;
                case "ENVID" when value is not null && value.Length <= 100 && XText.TryDecode(value, out var envId):
                    result = result with { EnvId = envId };
                    break;
                case "AUTH" when value is not null && XText.TryDecode(value, out var auth):
                    result = result with { Auth = auth };
                    break;
                case "SIZE" or "BODY" or "SMTPUTF8" or "RET" or "ENVID" or "AUTH":
                    error = new SmtpReply(501, "5.5.4", $"Invalid value for {key}");
                    return false;
                default:
                    error = new SmtpReply(555, "5.5.4", $"Unsupported parameter {key}");
                    return false;
            }
        }
        return true;
    }
}

/// <summary>The ESMTP parameters of RCPT TO (RFC 3461 §4.1, §4.2).</summary>
public sealed record RcptParameters(DsnNotify Notify, string? OriginalRecipient)
{
    public static bool TryParse(IReadOnlyList<KeyValuePair<string, string?>> raw, out RcptParameters result, out SmtpReply? error)
    {
        result = new RcptParameters(DsnNotify.Default, null);
        error = null;
        foreach (var (key, value) in raw)
        {
            switch (key)
            {
                case "NOTIFY" when value is not null && TryParseNotify(value, out var notify):
                    result = result with { Notify = notify };
                    break;
                case "ORCPT" when value is not null && value.Contains(';', StringComparison.Ordinal) && XText.TryDecode(value[(value.IndexOf(';', StringComparison.Ordinal) + 1)..], out var decoded):
                    result = result with { OriginalRecipient = value[..value.IndexOf(';', StringComparison.Ordinal)] + ";" + decoded };
                    break;
                case "NOTIFY" or "ORCPT":
                    error = new SmtpReply(501, "5.5.4", $"Invalid value for {key}");
                    return false;
                default:
                    error = new SmtpReply(555, "5.5.4", $"Unsupported parameter {key}");
                    return false;
            }
        }
        return true;
    }

    // NEVER stands alone; otherwise a comma list of SUCCESS, FAILURE, DELAY.
    private static bool TryParseNotify(string value, out DsnNotify notify)
    {
        notify = DsnNotify.Default;
        foreach (var part in value.Split(','))
        {
            notify |= part.ToUpperInvariant() switch
            {
                "NEVER" => DsnNotify.Never,
                "SUCCESS" => DsnNotify.Success,
                "FAILURE" => DsnNotify.Failure,
                "DELAY" => DsnNotify.Delay,
                _ => (DsnNotify)(-1),
            };
            if ((int)notify < 0) return false;
        }
        return !notify.HasFlag(DsnNotify.Never) || notify == DsnNotify.Never;
    }
}

/// <summary>RFC 3461 §4 xtext: "+XX" hex escapes for bytes outside 33–126 and '+', '='.</summary>
public static class XText
{
    public static bool TryDecode(string value, out string decoded)
    {
        decoded = "";
        var sb = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '+')
            {
                if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b)) return false;
                sb.Append((char)b);
                i += 2;
            }
            else if (c is < '!' or > '~' or '=')
            {
                return false;
            }
            else
            {
                sb.Append(c);
            }
        }
        decoded = sb.ToString();
        return true;
    }

    public static string Encode(string value)
    {
        var sb = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is < '!' or > '~' or '+' or '=') sb.Append('+').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
