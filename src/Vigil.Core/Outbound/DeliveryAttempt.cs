namespace Vigil.Core.Outbound;

/// <summary>What a delivery agent learnt about one recipient in one attempt.</summary>
/// <param name="Status">RFC 3463 enhanced status code, e.g. "5.1.1".</param>
/// <param name="Diagnostic">The remote reply ("550 5.1.1 No such user") or a local description
/// ("connect to mx.example[192.0.2.1]: connection refused").</param>
/// <param name="FromRemoteSmtp">True when <paramref name="Diagnostic"/> is the remote server's SMTP
/// reply (RFC 3464 §2.3.6 diagnostic-type "smtp").</param>
/// <param name="RemoteAcceptsDsn">True when the receiving server advertised DSN, so it took over
/// the NOTIFY request (RFC 3461 §5.2.2) and no "relayed" notice is owed.</param>
public sealed record RecipientResult(
    long RecipientId,
    AttemptOutcome Outcome,
    string Status,
    string Diagnostic,
    bool FromRemoteSmtp,
    string? RemoteMta,
    bool RemoteAcceptsDsn = false);

/// <summary>The class of an attempt's result for one recipient.</summary>
public enum AttemptOutcome
{
    Delivered,
    /// <summary>4xx, connection or DNS failure: try again later.</summary>
    Deferred,
    /// <summary>5xx, null MX, unknown domain, mail loop: give up and report.</summary>
    Failed,
}

/// <summary>One destination's batch for a delivery agent: messages, each with the recipients in
/// <see cref="Domain"/> that are due.</summary>
public sealed record DeliveryJob(string Domain, IReadOnlyList<QueueItem> Items);

/// <summary>Sends the messages of a job (one connection reused for all of them where possible).</summary>
public interface IDeliveryAgent
{
    /// <summary>Calls <paramref name="completed"/> once per item, as soon as its transaction has
    /// ended, so the result is committed before the next message goes out: that keeps the window
    /// in which a crash causes a duplicate to a single message per connection.</summary>
    Task DeliverAsync(DeliveryJob job, Func<QueueItem, IReadOnlyList<RecipientResult>, Task> completed, CancellationToken ct);
}
