using System.Net;

namespace Vigil.Core.Delivery;

/// <summary>Checks a received message before it is stored (sender authentication: SPF, DKIM,
/// DMARC, ARC). The protocol layer calls it and applies the verdict; the rules live behind it.</summary>
public interface IInboundMessageCheck
{
    Task<InboundVerdict> CheckAsync(InboundMessage message, CancellationToken ct);
}

/// <summary>What the check sees: the SMTP facts and the message as received (a fresh, seekable
/// stream positioned at its start).</summary>
public sealed record InboundMessage(IPAddress Client, string Helo, string MailFrom, string? AuthenticatedUser, Func<CancellationToken, Task<Stream>> OpenContent);

/// <summary>What to do with the message: accept, accept into the Junk folder, or refuse with a
/// reply text. <see cref="HeaderFields"/> (complete fields with CRLF) are prepended to what is
/// stored, and fields the <see cref="RemoveField"/> predicate selects (by raw field bytes) are
/// dropped from the received header block.</summary>
public sealed record InboundVerdict(InboundAction Action, string? Reason, string HeaderFields, Func<ReadOnlyMemory<byte>, bool>? RemoveField)
{
    public static readonly InboundVerdict AcceptUnchanged = new(InboundAction.Accept, null, "", null);
}

/// <summary>The outcome class of an inbound check.</summary>
public enum InboundAction
{
    Accept,
    /// <summary>Deliver, but to the Junk folder (DMARC p=quarantine).</summary>
    Junk,
    /// <summary>Refuse at the end of DATA (DMARC p=reject).</summary>
    Reject,
}
