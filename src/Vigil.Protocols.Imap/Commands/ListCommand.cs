using Vigil.Core.Mailboxes;
using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol.Mailboxes;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Writing;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>LIST (RFC 9051 §6.3.9) with LIST-EXTENDED selection and return options (RFC 5258),
/// CHILDREN, SPECIAL-USE attributes (RFC 6154, always shown) and LIST-STATUS (RFC 5819).</summary>
internal static class ListCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, ListRequest request, CancellationToken ct)
    {
        if (StatusCommand.ItemsError(session, request.StatusItems) is { } error) return error;
        var w = session.Writer;
        var reference = MailboxArgument.DecodePattern(session, request.Reference);
        var patterns = request.Patterns.Select(p => MailboxArgument.DecodePattern(session, p)).ToList();
        if (reference is null || patterns.Any(p => p is null)) return CommandResult.No("Invalid mailbox name", "CANNOT");
        // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter and root.
        if (patterns.Any(p => p!.Length == 0)) w.Untagged().Raw("LIST (\\Noselect) \"/\" \"\""u8).Crlf();
        var full = patterns.Where(p => p!.Length > 0).Select(p => MailboxPattern.Combine(reference, p!)).ToList();
        if (full.Count == 0) return CommandResult.Ok("LIST completed");

        var accountId = session.Account!.Id;
        var mailboxes = (await session.Services.Store.ListMailboxesAsync(accountId, ct)).ToDictionary(m => m.Name, StringComparer.Ordinal);
        var wantSubscriptions = (request.Select & ListSelect.Subscribed) != 0 || (request.Return & ListReturn.Subscribed) != 0;
        var subscriptions = wantSubscriptions ? (await session.Services.Store.ListSubscriptionsAsync(accountId, ct)).ToHashSet(StringComparer.Ordinal) : [];
        var candidates = new SortedSet<string>(mailboxes.Keys, MailboxOrder.Instance);
        if ((request.Select & ListSelect.Subscribed) != 0) candidates.UnionWith(subscriptions);

        foreach (var name in candidates)
        {
            if (!full.Any(p => MailboxPattern.IsMatch(name, p))) continue;
            mailboxes.TryGetValue(name, out var mailbox);
            var subscribed = subscriptions.Contains(name);
            var childInfo = false;
            if ((request.Select & ListSelect.Subscribed) != 0 && !subscribed)
            {
                // RFC 5258 §3.5: with RECURSIVEMATCH a parent of a subscribed name is listed with CHILDINFO.
                if ((request.Select & ListSelect.RecursiveMatch) == 0 || !subscriptions.Any(s => MailboxNames.IsChildOf(s, name))) continue;
                childInfo = true;
            }
            if ((request.Select & ListSelect.SpecialUse) != 0 && mailbox?.SpecialUse is null) continue;

            w.Untagged().Raw("LIST ("u8);
            var attrs = new List<string>();
            if (mailbox is null) attrs.Add("\\NonExistent");
            else attrs.Add(mailboxes.Keys.Any(n => MailboxNames.IsChildOf(n, name)) ? "\\HasChildren" : "\\HasNoChildren");
            if (subscribed && wantSubscriptions) attrs.Add("\\Subscribed");
            if (mailbox?.SpecialUse is { } use) attrs.Add(use);
            w.Ascii(string.Join(' ', attrs)).Raw(") \"/\" "u8).Mailbox(name);
            if (childInfo) w.Raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))"u8);
            w.Crlf();
            if ((request.Return & ListReturn.Status) != 0 && mailbox is not null) await StatusCommand.WriteAsync(session, mailbox, request.StatusItems, ct);
        }
        return CommandResult.Ok("LIST completed");
    }
}

/// <summary>INBOX first, then the others in ordinal order.</summary>
internal sealed class MailboxOrder : IComparer<string>
{
    public static readonly MailboxOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var xi = x == Mailbox.Inbox;
        var yi = y == Mailbox.Inbox;
        if (xi != yi) return xi ? -1 : 1;
        return string.CompareOrdinal(x, y);
    }
}
