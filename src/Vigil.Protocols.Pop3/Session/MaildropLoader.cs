using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>Reads an account's INBOX into a <see cref="Maildrop"/> at login.</summary>
internal static class MaildropLoader
{
    public static async Task<Maildrop> LoadAsync(IMessageStore store, MessageSizes sizes, long accountId, CancellationToken ct)
    {
        var inbox = await store.GetMailboxAsync(accountId, Mailbox.Inbox, ct)
            ?? throw new InvalidOperationException($"Account {accountId} has no INBOX.");
        var stored = await store.ListMessagesAsync(accountId, inbox.Id, ct);
        var messages = new List<MaildropMessage>(stored.Count);
        foreach (var m in stored)
        {
            // A blob that is already gone belongs to a message expunged meanwhile: not offered.
            if (await sizes.GetAsync(m.BlobId, ct) is { } size) messages.Add(new MaildropMessage(m.Uid, m.BlobId, size));
        }
        return new Maildrop(inbox, messages);
    }
}
