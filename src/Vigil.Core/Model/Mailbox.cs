namespace Vigil.Core.Model;

/// <summary>A folder of one account, with the IMAP counters that identify its messages.</summary>
public sealed record Mailbox(
    long Id,
    long AccountId,
    string Name,
    uint UidValidity,
    uint UidNext,
    long HighestModSeq,
    string? SpecialUse,
    bool Subscribed)
{
    public const string Inbox = "INBOX";
}
