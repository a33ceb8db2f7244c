using MimeKit;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;
using Vigil.Security.Dkim;
using Vigil.Core.Messages;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Makes a queued blob ready for one remote server: parse it, refuse a mail loop, drop the
/// Return-Path we added at receipt (RFC 5321 §4.4: only the final delivery adds it), downgrade
/// 8-bit parts for a server without 8BITMIME (RFC 6152 §3), and DKIM-sign last so the signature
/// covers exactly the bytes that go out.</summary>
public sealed class OutgoingMessage(IBlobStore blobs, DkimSigning? dkim, OutboundOptions options)
{
    public async Task<PreparedMessage> PrepareAsync(QueuedMessage queued, bool eightBitOk, CancellationToken ct)
    {
        var stream = blobs.OpenRead(queued.Blob);
        if (stream is null) return PreparedMessage.Problem(AttemptOutcome.Deferred, "4.3.0", $"message content {queued.Blob} is missing from the blob store");
        try
        {
            // persistent: bodies stay on disk and are streamed from the blob while sending.
            var message = await MimeLimits.ParseMessageAsync(stream, persistent: true, ct);
            var hops = message.Headers.Count(h => h.Id == HeaderId.Received);
            if (hops > options.MaxReceivedHeaders)
            {
                await stream.DisposeAsync();
                return PreparedMessage.Problem(AttemptOutcome.Failed, "5.4.6", $"mail loop: the message has {hops} Received header fields (limit {options.MaxReceivedHeaders})");
            }
            message.Headers.RemoveAll(HeaderId.ReturnPath);
            if (!eightBitOk) message.Prepare(EncodingConstraint.SevenBit);
            if (dkim is not null) await dkim.SignAsync(message, queued.Envelope.MailFrom, ct);
            return new PreparedMessage(message, stream, null);
        }
        catch (FormatException ex)
        {
            await stream.DisposeAsync();
            return PreparedMessage.Problem(AttemptOutcome.Failed, "5.6.0", $"message cannot be parsed: {ex.Message}");
        }
    }
}

/// <summary>A parsed, signed message and the blob stream its content is read from; or the reason it cannot be sent.</summary>
public sealed class PreparedMessage(MimeMessage? message, Stream? content, RecipientVerdict? problem) : IAsyncDisposable
{
    public MimeMessage? Message { get; } = message;
    public RecipientVerdict? ProblemVerdict { get; } = problem;

    public static PreparedMessage Problem(AttemptOutcome outcome, string status, string text) => new(null, null, new RecipientVerdict(outcome, status, text));

    public async ValueTask DisposeAsync()
    {
        Message?.Dispose();
        if (content is not null) await content.DisposeAsync();
    }
}
