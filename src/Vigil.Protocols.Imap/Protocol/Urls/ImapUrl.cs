using System.Globalization;
using System.Text;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Requests;

namespace Vigil.Protocols.Imap.Protocol.Urls;

/// <summary>An IMAP URL naming a message or part (RFC 5092 §3), as CATENATE uses them (RFC 4469 §3):
/// <c>imap://user@host:port/mailbox;UIDVALIDITY=v/;UID=u/;SECTION=s/;PARTIAL=o.l</c> (absolute:
/// <see cref="Host"/> is set), the same from "/mailbox..." (absolute path), or from ";UID=..."
/// (relative to the selected mailbox, then <see cref="Mailbox"/> is null). Whether the URL names
/// this server and session is the caller's question.</summary>
public sealed record ImapUrl(string? User, string? Mailbox, uint? UidValidity, uint Uid, SectionSpec Section, uint? PartialOffset, uint? PartialLength)
{
    /// <summary>The host of an absolute URL (without brackets for an IPv6 literal); null for a relative one.</summary>
    public string? Host { get; init; }

    /// <summary>The port of an absolute URL, when it names one.</summary>
    public int? Port { get; init; }

    public static bool TryParse(string url, out ImapUrl result)
    {
        result = null!;
        string? user = null, host = null;
        int? port = null;
        var rest = url;
        if (rest.StartsWith("imap://", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[7..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0) return false;
            var authority = rest[..slash];
            var at = authority.LastIndexOf('@');
            if (at >= 0)
            {
                user = Decode(authority[..at].Split(';')[0]);
                if (user is null) return false;
            }
            if (!TryParseHostPort(authority[(at + 1)..], out host, out port)) return false;
            rest = rest[slash..];
        }
        string? mailbox = null;
        uint? uidValidity = null;
        if (rest.StartsWith('/'))
        {
            // "/mailbox[;UIDVALIDITY=n]/;UID=..." — the mailbox ends where "/;UID=" starts.
            var uidAt = rest.IndexOf("/;UID=", StringComparison.OrdinalIgnoreCase);
            if (uidAt < 0) return false;
            var box = rest[1..uidAt];
            rest = rest[(uidAt + 1)..];
            var semi = box.IndexOf(";UIDVALIDITY=", StringComparison.OrdinalIgnoreCase);
            if (semi >= 0)
            {
                if (!uint.TryParse(box[(semi + 13)..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v == 0) return false;
                uidValidity = v;
                box = box[..semi];
            }
            mailbox = Decode(box);
            if (string.IsNullOrEmpty(mailbox)) return false;
        }
        uint uid = 0;
        var section = SectionSpec.Whole;
        uint? offset = null, length = null;
        foreach (var part in rest.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (!part.StartsWith(';') || eq < 0) return false;
            var name = part[1..eq].ToUpperInvariant();
            var value = part[(eq + 1)..];
            switch (name)
            {
                case "UID" when uid == 0:
                    if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uid) || uid == 0) return false;
                    break;
                case "SECTION" when uid != 0:
                    var decoded = Decode(value);
                    if (decoded is null || !TryParseSection(decoded, out section)) return false;
                    break;
                case "PARTIAL" when uid != 0:
                    var dot = value.IndexOf('.', StringComparison.Ordinal);
                    if (!uint.TryParse(dot < 0 ? value : value[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var o)) return false;
                    offset = o;
                    if (dot >= 0)
                    {
                        if (!uint.TryParse(value[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l == 0) return false;
                        length = l;
                    }
                    break;
                default:
                    return false;
            }
        }
        if (uid == 0) return false;
        result = new ImapUrl(user, mailbox, uidValidity, uid, section, offset, length) { Host = host, Port = port };
        return true;
    }

    /// <summary>RFC 5092 iserver: host [":" port], the host a name or an IP literal ("[::1]").</summary>
    private static bool TryParseHostPort(string text, out string host, out int? port)
    {
        host = text;
        port = null;
        var colon = text.StartsWith('[') ? text.IndexOf("]:", StringComparison.Ordinal) + 1 : text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is 0 or > 65535) return false;
            port = p;
            host = text[..colon];
        }
        if (host.StartsWith('[')) host = host.EndsWith(']') ? host[1..^1] : "";
        return host.Length > 0 && !host.Contains('@', StringComparison.Ordinal);
    }

    /// <summary>A section as BODY[...] understands it, read with the FETCH grammar.</summary>
    private static bool TryParseSection(string text, out SectionSpec section)
    {
        section = SectionSpec.Whole;
        var parsed = CommandParser.Parse(new RawCommand(Encoding.UTF8.GetBytes($"u FETCH 1 BODY[{text}]")));
        if (parsed.Request is not FetchRequest { Items: [SectionItem item] }) return false;
        section = item.Section;
        return true;
    }

    /// <summary>Percent-decoding to UTF-8 (RFC 5092 §3.2 enc-mailbox); null when malformed.</summary>
    private static string? Decode(string s)
    {
        try
        {
            var bytes = new List<byte>(s.Length);
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == '%')
                {
                    if (i + 2 >= s.Length) return null;
                    bytes.Add(byte.Parse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 2;
                }
                else
                {
                    if (s[i] > 0x7f) return null;
                    bytes.Add((byte)s[i]);
                }
            }
            return new UTF8Encoding(false, true).GetString(bytes.ToArray());
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return null;
        }
    }
}
