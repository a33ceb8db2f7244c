namespace Vigil.Core.Outbound;

/// <summary>Turns an attempt's results into new recipient states: delivered, deferred with the next
/// attempt time, or failed; and decides which DSN notice (if any) the sender is owed.</summary>
public sealed class AttemptRecorder(RetryPolicy retry)
{
    public RecipientUpdate Record(QueuedMessage message, QueueRecipient recipient, RecipientResult result, DateTimeOffset now, double jitter01)
    {
        var envelope = message.Envelope;
        var before = recipient.Progress;
        var after = before with
        {
            Attempts = before.Attempts + 1,
            LastAttempt = now,
            LastError = DiagnosticField(result),
            Status = result.Status,
            RemoteMta = result.RemoteMta,
        };
        switch (result.Outcome)
        {
            case AttemptOutcome.Delivered:
                // RFC 3461 §5.2.2.2: a server without DSN support cannot carry NOTIFY=SUCCESS on, so we
                // report "relayed"; one that supports DSN got NOTIFY and reports delivery itself.
                var relayed = DsnRequest.WantsSuccess(envelope, recipient.Notify) && !result.RemoteAcceptsDsn;
                return Update(recipient, after with { State = RecipientState.Delivered, Notice = relayed ? DsnAction.Relayed : null });
            case AttemptOutcome.Failed:
                return Update(recipient, Failed(after, envelope, recipient));
        }

        // RFC 3463 4.4.7 "delivery time expired"; the last real error stays in the diagnostic.
        if (retry.IsExpired(message.Created, now)) return Update(recipient, Failed(after with { Status = "4.4.7" }, envelope, recipient));
        var warn = !before.DelayReported && retry.IsDelayWarningDue(message.Created, now) && DsnRequest.WantsDelay(envelope, recipient.Notify);
        return Update(recipient, after with
        {
            NextAttempt = now + retry.Delay(after.Attempts, jitter01),
            DelayReported = before.DelayReported || warn,
            Notice = warn ? DsnAction.Delayed : before.Notice,
        });
    }

    /// <summary>The error in RFC 3464 §2.3.6 form, "diagnostic-type; text", ready for a DSN.</summary>
    public static string DiagnosticField(RecipientResult result) => (result.FromRemoteSmtp ? "smtp; " : "X-Vigil; ") + result.Diagnostic;

    private static RecipientProgress Failed(RecipientProgress progress, Delivery.Envelope envelope, QueueRecipient recipient) =>
        progress with { State = RecipientState.Failed, Notice = DsnRequest.WantsFailure(envelope, recipient.Notify) ? DsnAction.Failed : null };

    private static RecipientUpdate Update(QueueRecipient recipient, RecipientProgress progress) => new(recipient.Id, progress);
}
