using Vigil.Core.Events;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Mailboxes;

/// <summary>The outcome of a mailbox operation; protocols map it to their replies.</summary>
public enum MailboxOutcome
{
    Ok,
    InvalidName,
    AlreadyExists,
    NotFound,
    HasChildren,
    /// <summary>INBOX cannot be deleted (RFC 9051 §6.3.4).</summary>
    Inbox,
    /// <summary>A special-use attribute that is not one of RFC 6154's.</summary>
    BadSpecialUse,
}

/// <summary>Creates, deletes and renames mailboxes with the rules of <see cref="MailboxNames"/>,
/// and tells open sessions when a mailbox they show disappears.</summary>
public sealed class MailboxService(IMessageStore store, MailboxEvents events)
{
    /// <summary>RFC 6154 §2 special-use attributes that may be set at CREATE.</summary>
    public static readonly IReadOnlyList<string> SpecialUses = ["\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"];

    public async Task<MailboxOutcome> CreateAsync(long accountId, string name, string? specialUse, CancellationToken ct)
    {
        name = MailboxNames.Normalise(name.TrimEnd(MailboxNames.Delimiter));
        if (!MailboxNames.IsValid(name)) return MailboxOutcome.InvalidName;
        if (specialUse is not null)
        {
            specialUse = SpecialUses.FirstOrDefault(s => s.Equals(specialUse, StringComparison.OrdinalIgnoreCase));
            if (specialUse is null) return MailboxOutcome.BadSpecialUse;
        }
        if (await store.GetMailboxAsync(accountId, name, ct) is not null) return MailboxOutcome.AlreadyExists;
        // RFC 9051 §6.3.4: the server SHOULD create missing superior levels.
        foreach (var parent in MailboxNames.Parents(name))
        {
            if (await store.GetMailboxAsync(accountId, parent, ct) is not null) continue;
            try
            {
                await store.CreateMailboxAsync(accountId, parent, null, ct);
            }
            catch (MailboxExistsException)
            {
                // created concurrently: fine
            }
        }
        try
        {
            await store.CreateMailboxAsync(accountId, name, specialUse, ct);
            return MailboxOutcome.Ok;
        }
        catch (MailboxExistsException)
        {
            return MailboxOutcome.AlreadyExists;
        }
    }

    public async Task<MailboxOutcome> DeleteAsync(long accountId, string name, CancellationToken ct)
    {
        name = MailboxNames.Normalise(name);
        if (MailboxNames.IsInbox(name)) return MailboxOutcome.Inbox;
        var mailbox = await store.GetMailboxAsync(accountId, name, ct);
        if (mailbox is null) return MailboxOutcome.NotFound;
        var all = await store.ListMailboxesAsync(accountId, ct);
        // Deleting a level that has children would leave them without a parent; RFC 9051 §6.3.5
        // lets the server refuse, which keeps every listed name selectable.
        if (all.Any(m => MailboxNames.IsChildOf(m.Name, name))) return MailboxOutcome.HasChildren;
        if (!await store.DeleteMailboxAsync(accountId, mailbox.Id, ct)) return MailboxOutcome.NotFound;
        events.Publish(new MailboxChange(accountId, mailbox.Id, MailboxChangeKind.MailboxDeleted, [], 0));
        return MailboxOutcome.Ok;
    }

    public async Task<MailboxOutcome> RenameAsync(long accountId, string from, string to, CancellationToken ct)
    {
        from = MailboxNames.Normalise(from);
        to = MailboxNames.Normalise(to.TrimEnd(MailboxNames.Delimiter));
        if (!MailboxNames.IsValid(to) || MailboxNames.IsInbox(to)) return MailboxNames.IsInbox(to) ? MailboxOutcome.AlreadyExists : MailboxOutcome.InvalidName;
        if (MailboxNames.IsChildOf(to, from) || from == to) return MailboxOutcome.InvalidName;
        var source = await store.GetMailboxAsync(accountId, from, ct);
        if (source is null) return MailboxOutcome.NotFound;
        if (await store.GetMailboxAsync(accountId, to, ct) is not null) return MailboxOutcome.AlreadyExists;
        foreach (var parent in MailboxNames.Parents(to))
        {
            if (await store.GetMailboxAsync(accountId, parent, ct) is null) await store.CreateMailboxAsync(accountId, parent, null, ct);
        }
        try
        {
            if (MailboxNames.IsInbox(from))
            {
                var moved = await store.MoveInboxAsync(accountId, to, ct);
                if (!moved.IsEmpty) events.Publish(moved.ToChange());
            }
            else
            {
                await store.RenameMailboxAsync(accountId, from, to, ct);
            }
            return MailboxOutcome.Ok;
        }
        catch (MailboxExistsException)
        {
            return MailboxOutcome.AlreadyExists;
        }
    }

    public Task SetSubscribedAsync(long accountId, string name, bool subscribed, CancellationToken ct) =>
        store.SetSubscribedAsync(accountId, MailboxNames.Normalise(name), subscribed, ct);
}
