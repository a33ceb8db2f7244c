using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Sections;
using Vigil.Protocols.Imap.Protocol.Urls;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>CATENATE (RFC 4469): builds the message to append from literal text and parts of
/// messages already stored in the same account, named by IMAP URLs. A URL that does not resolve
/// gives NO [BADURL url] (the bare URL, RFC 4469 §5 with erratum 4046); a result over the append
/// limit NO [TOOBIG].</summary>
internal static class CatenateCommand
{
    public static async Task<UploadResult> BuildAsync(ImapSession session, IReadOnlyList<CatenatePart> parts, CancellationToken ct)
    {
        await using var writer = session.Services.Blobs.CreateWriter();
        foreach (var part in parts)
        {
            byte[] bytes;
            if (part.Text is { } text)
            {
                // Text parts are kept in memory by the command reader; a spooled one would be a whole message.
                if (text.Spooled is not null) return UploadResult.Failed(CommandResult.No("CATENATE text parts are limited to 64 KiB", "TOOBIG"));
                bytes = text.Inline.ToArray();
            }
            else
            {
                var resolved = await ResolveAsync(session, part.Url!, ct);
                if (resolved is null) return UploadResult.Failed(CommandResult.No("Invalid URL", "BADURL " + RespText(part.Url!)));
                bytes = resolved;
            }
            if (writer.Length + bytes.Length > session.Options.AppendLimit) return UploadResult.Failed(CommandResult.No("Message too large", "TOOBIG"));
            await writer.WriteAsync(bytes, ct);
        }
        var size = writer.Length;
        if (size == 0) return UploadResult.Failed(CommandResult.No("Empty message", "CANNOT"));
        return new UploadResult(await writer.CommitAsync(ct), size, null);
    }

    /// <summary>The bytes a URL names, only ever from the logged-in account's own mailboxes.
    /// RFC 4469 §3: CATENATE URLs refer to this server from the current session; the base of a
    /// relative URL is imap://user@server/ and, in the selected state, the selected mailbox (so
    /// ";UID=n" needs a selected mailbox). An absolute URL is taken only when its user is the
    /// logged-in one and its server is this one; any other URL is one we cannot resolve.</summary>
    private static async Task<byte[]?> ResolveAsync(ImapSession session, string text, CancellationToken ct)
    {
        if (!ImapUrl.TryParse(text, out var url)) return null;
        var account = session.Account!;
        if (url.Host is not null && !(url.User is { } user && user.Equals(account.Address, StringComparison.OrdinalIgnoreCase) && IsThisServer(session, url))) return null;
        var name = url.Mailbox is { } m ? MailboxNames.Normalise(m) : session.Selected?.Name;
        if (name is null) return null;
        var mailbox = await session.Services.Store.GetMailboxAsync(account.Id, name, ct);
        if (mailbox is null || (url.UidValidity is { } v && v != mailbox.UidValidity)) return null;
        var records = await session.Services.Store.GetMessagesAsync(account.Id, mailbox.Id, [url.Uid], withSummary: true, ct);
        if (records.Count == 0) return null;
        var record = records[0];
        using var content = new MessageContent(session.Services.Blobs, record);
        var summary = record.Summary ?? content.Summarize();
        var range = SectionLocator.Locate(summary.Body, record.Size, url.Section);
        if (range is null) return null;
        var bytes = content.Read(range.Start, range.Length);
        if (range.FieldFilter is { } f) bytes = HeaderFieldFilter.Filter(bytes, f.Fields, f.Text == SectionText.HeaderFieldsNot);
        var (offset, count) = SectionLocator.Partial(bytes.Length, url.PartialOffset, url.PartialLength);
        return bytes.AsSpan((int)offset, (int)count).ToArray();
    }

    /// <summary>The URL's authority names this server: its host name or the address the client
    /// connected to, and no port or the port it connected to.</summary>
    private static bool IsThisServer(ImapSession session, ImapUrl url)
    {
        var local = session.Connection.Local;
        if (url.Port is { } port && port != local.Port) return false;
        return url.Host!.Equals(session.Options.Hostname, StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(url.Host, out var address) && address.Equals(local.Address));
    }

    /// <summary>RFC 4469 §5 url-resp-text: the URL as the client gave it, but only TEXT-CHARs other
    /// than "]"; controls, "]" and 8-bit octets are percent-encoded, which keeps it a URL.</summary>
    private static string RespText(string url)
    {
        var sb = new System.Text.StringBuilder(url.Length);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(url))
        {
            if (b is < 0x20 or > 0x7e or (byte)']') sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else sb.Append((char)b);
        }
        return sb.ToString();
    }
}
