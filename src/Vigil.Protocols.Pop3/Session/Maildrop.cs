using Vigil.Core.Model;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>The maildrop of one POP3 session: INBOX as it was at login (RFC 1939 §5: message
/// numbers stay fixed for the session), plus the deletion marks that QUIT will carry out.</summary>
public sealed class Maildrop(Mailbox inbox, IReadOnlyList<MaildropMessage> messages)
{
    private readonly bool[] _deleted = new bool[messages.Count];

    public long MailboxId => inbox.Id;
    public uint UidValidity => inbox.UidValidity;

    /// <summary>Messages not marked deleted, and their total size (STAT).</summary>
    public (int Count, long Octets) Stat()
    {
        int count = 0;
        long octets = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (_deleted[i]) continue;
            count++;
            octets += messages[i].Size;
        }
        return (count, octets);
    }

    /// <summary>The message with this 1-based number, or the reason there is none.</summary>
    public MaildropMessage? Find(int number, out string? error)
    {
        error = null;
        if (number < 1 || number > messages.Count)
        {
            error = "No such message";
            return null;
        }
        if (_deleted[number - 1])
        {
            error = "Message " + number + " is deleted";
            return null;
        }
        return messages[number - 1];
    }

    /// <summary>Messages not marked deleted, with their numbers (LIST, UIDL without argument).</summary>
    public IEnumerable<(int Number, MaildropMessage Message)> Visible()
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (!_deleted[i]) yield return (i + 1, messages[i]);
        }
    }

    /// <summary>Marks a message for deletion at QUIT; false when it does not exist or is already marked.</summary>
    public bool MarkDeleted(int number, out string? error)
    {
        if (Find(number, out error) is null) return false;
        _deleted[number - 1] = true;
        return true;
    }

    /// <summary>RSET: every mark is removed.</summary>
    public void Reset() => Array.Clear(_deleted);

    public IReadOnlyList<uint> DeletedUids() => Enumerable.Range(0, messages.Count).Where(i => _deleted[i]).Select(i => messages[i].Uid).ToList();

    /// <summary>UIDL value: the IMAP UIDVALIDITY and UID of the message, so POP3 and IMAP name a
    /// message the same way and the value survives across sessions (RFC 1939 §7 asks that it
    /// never be reused for another message in the maildrop; UIDVALIDITY changes if UIDs are ever
    /// reassigned).</summary>
    public string UniqueId(MaildropMessage message) => $"{UidValidity}.{message.Uid}";
}

/// <summary>One message of a maildrop, with the size RETR sends.</summary>
public sealed record MaildropMessage(uint Uid, BlobId Blob, long Size);
