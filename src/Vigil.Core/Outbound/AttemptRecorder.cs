namespace Vigil.Core.Outbound;

/// <summary>Turns an attempt's results into new recipient states: delivered, deferred with the next
/// attempt time, or failed; and decides which DSN notice (if any) the sender is owed.</summary>
public sealed class AttemptRecorder(RetryPolicy retry)
{
    public RecipientUpdate Record(QueuedMessage message, QueueRecipient recipient, RecipientResult result, DateTimeOffset now, double jitter01)
    {
        var envelope = message.Envelope;
        var attempts = recipient.Attempts + 1;
        switch (result.Outcome)
        {
            case AttemptOutcome.Delivered:
                // RFC 3461 §5.2.2.2: a server without DSN support cannot carry NOTIFY=SUCCESS on, so we
                // report "relayed"; one that supports DSN got NOTIFY and reports delivery itself.
                var relayed = DsnRequest.WantsSuccess(envelope, recipient.Notify) && !result.RemoteAcceptsDsn;
                return Final(recipient, RecipientState.Delivered, attempts, now, result, relayed ? DsnAction.Relayed : null);
            case AttemptOutcome.Failed:
                return Final(recipient, RecipientState.Failed, attempts, now, result,
                    DsnRequest.WantsFailure(envelope, recipient.Notify) ? DsnAction.Failed : null);
        }

        if (retry.IsExpired(message.Created, now))
        {
            // RFC 3463 4.4.7: "delivery time expired"; the last real error goes in the diagnostic.
            var expired = result with { Status = "4.4.7" };
            return Final(recipient, RecipientState.Failed, attempts, now, expired,
                DsnRequest.WantsFailure(envelope, recipient.Notify) ? DsnAction.Failed : null);
        }
        var warn = !recipient.DelayReported && retry.IsDelayWarningDue(message.Created, now) && DsnRequest.WantsDelay(envelope, recipient.Notify);
        return new RecipientUpdate(recipient.Id, RecipientState.Pending, attempts, now + retry.Delay(attempts, jitter01), now,
            DiagnosticField(result), result.Status, result.RemoteMta, recipient.DelayReported || warn, warn ? DsnAction.Delayed : recipient.Notice);
    }

    /// <summary>The error in RFC 3464 §2.3.6 form, "diagnostic-type; text", ready for a DSN.</summary>
    public static string DiagnosticField(RecipientResult result) => (result.FromRemoteSmtp ? "smtp; " : "X-Vigil; ") + result.Diagnostic;

    private static RecipientUpdate Final(QueueRecipient r, RecipientState state, int attempts, DateTimeOffset now, RecipientResult result, DsnAction? notice) =>
        new(r.Id, state, attempts, r.NextAttempt, now, DiagnosticField(result), result.Status, result.RemoteMta, r.DelayReported, notice);
}
