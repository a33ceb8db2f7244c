using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Protocol.Mailboxes;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>LSUB (RFC 3501 §6.3.9): subscribed names; a name that does not exist, or an
/// unsubscribed level above a subscribed one matched by "%", is shown \Noselect.</summary>
internal static class LsubCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, LsubRequest request, CancellationToken ct)
    {
        var reference = MailboxArgument.DecodePattern(session, request.Reference);
        var pattern = MailboxArgument.DecodePattern(session, request.Pattern);
        if (reference is null || pattern is null) return CommandResult.No("Invalid mailbox name", "CANNOT");
        var full = MailboxPattern.Combine(reference, pattern);
        var accountId = session.Account!.Id;
        var existing = (await session.Services.Store.ListMailboxesAsync(accountId, ct)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var subscribed = await session.Services.Store.ListSubscriptionsAsync(accountId, ct);
        var shown = new SortedDictionary<string, bool>(MailboxOrder.Instance); // name → selectable
        foreach (var name in subscribed)
        {
            if (MailboxPattern.IsMatch(name, full)) shown[name] = existing.Contains(name);
            foreach (var parent in MailboxNames.Parents(name))
            {
                if (!shown.ContainsKey(parent) && MailboxPattern.IsMatch(parent, full) && !subscribed.Contains(parent)) shown[parent] = false;
            }
        }
        var w = session.Writer;
        foreach (var (name, selectable) in shown)
        {
            w.Untagged().Raw(selectable ? "LSUB () \"/\" "u8 : "LSUB (\\Noselect) \"/\" "u8).Mailbox(name).Crlf();
        }
        return CommandResult.Ok("LSUB completed");
    }
}
