using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Vigil.Core.Delivery;
using Vigil.Core.Observability;
using Vigil.Core.Model;
using Vigil.Core.Outbound;
using Vigil.Core.Storage;
using Vigil.Net;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

// DATA (RFC 5321 §4.1.1.4) and BDAT (RFC 3030). The reply 250 is written only after the blob is
// fsync'd and the metadata committed (DESIGN.md: durability first).
public sealed partial class SmtpSession
{
    private const int BlobFlushBytes = 64 * 1024;

    private async Task<SmtpReply?> DataAsync(string argument, CancellationToken ct)
    {
        var tx = _transaction;
        if (argument.Length > 0) return new SmtpReply(501, "5.5.4", "DATA takes no arguments");
        if (tx is null) return SmtpReplies.NeedMail;
        if (tx.Recipients.Count == 0) return SmtpReplies.NeedRcpt;
        if (tx.ChunkWriter is not null || tx.Parameters.Body == BodyType.BinaryMime) return SmtpReplies.BadSequence;

        await ReplyAndFlushAsync(SmtpReplies.StartData, ct);
        var queueId = QueueIds.New();
        await using var spool = NewSpool();

        var decoder = new DataDecoder();
        using var decoded = new RentedBufferWriter(BlobFlushBytes + 16 * 1024);
        long size = 0;
        var tooBig = false;
        var pace = NewPace();
        while (!decoder.Completed)
        {
            if (pace.TooSlow)
            {
                await ReplyAndFlushAsync(SmtpReplies.TooSlow, ct);
                _quit = true;
                LogTransaction(queueId, tx, size, "aborted: data arriving too slowly");
                return null;
            }
            var read = await Reader.ReadRawAsync(_options.DataTimeout, ct);
            if (read is null)
            {
                await ReplyAndFlushAsync(SmtpReplies.Timeout, ct);
                _quit = true;
                return null;
            }
            var buffer = read.Value.Buffer;
            long consumed = 0;
            foreach (var segment in buffer)
            {
                consumed += decoder.Decode(segment.Span, decoded);
                if (decoder.Completed) break;
            }
            Reader.Input.AdvanceTo(buffer.GetPosition(consumed), decoder.Completed ? buffer.GetPosition(consumed) : buffer.End);
            pace.Add(consumed);
            if (decoded.WrittenCount >= BlobFlushBytes || decoder.Completed)
            {
                size += decoded.WrittenCount;
                tooBig |= size > _options.MaxMessageBytes;
                if (!tooBig) await spool.WriteAsync(decoded.WrittenMemory, ct);
                decoded.ResetWrittenCount();
            }
            if (!decoder.Completed && read.Value.IsCompleted)
            {
                _quit = true; // the client vanished mid-DATA: the spool is disposed, nothing is kept
                LogTransaction(queueId, tx, size, "aborted: connection lost during DATA");
                return null;
            }
        }

        SmtpReply? rejection = tooBig ? SmtpReplies.MessageTooBig
            : decoder.BareLineEnding ? SmtpReplies.BareLineEnding
            : decoder.LineTooLong ? SmtpReplies.TextLineTooLong
            : null;
        var reply = rejection ?? await FinishAsync(tx, spool, queueId, ct);
        _transaction = null;
        LogTransaction(queueId, tx, size, reply.ToString());
        return reply;
    }

    private async Task<SmtpReply?> BdatAsync(string argument, CancellationToken ct)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var chunkSize)
            || (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase)))
        {
            // Without a valid size we cannot find the end of the chunk: the stream is lost.
            _quit = true;
            return new SmtpReply(501, "5.5.4", "Syntax: BDAT size [LAST]; closing connection");
        }
        var last = parts.Length == 2;
        var tx = _transaction;
        if (chunkSize > _options.MaxMessageBytes)
        {
            // Reading (to discard) a chunk larger than any message we accept would let a client
            // stream without end; RFC 3030 §2 lets us close instead.
            _quit = true;
            await AbortTransactionAsync();
            return new SmtpReply(552, "5.3.4", "Chunk exceeds the maximum message size; closing connection");
        }
        if (tx is null || tx.Recipients.Count == 0)
        {
            // RFC 3030 §2: the chunk must still be read and discarded.
            if (!await Reader.ReadExactAsync(chunkSize, static (_, _) => ValueTask.CompletedTask, _options.DataTimeout, ct, NewPace())) { _quit = true; return null; }
            return tx is null ? SmtpReplies.NeedMail : SmtpReplies.NeedRcpt;
        }

        var queueId = tx.ChunkWriter is BdatState state ? state.QueueId : QueueIds.New();
        if (tx.ChunkWriter is null)
        {
            state = new BdatState(NewSpool(), queueId);
            tx.ChunkWriter = state;
        }
        else
        {
            state = (BdatState)tx.ChunkWriter;
        }

        state.Size += chunkSize;
        var tooBig = state.Size > _options.MaxMessageBytes;
        var pace = NewPace();
        var complete = await Reader.ReadExactAsync(chunkSize, tooBig ? static (_, _) => ValueTask.CompletedTask : state.Spool.WriteAsync, _options.DataTimeout, ct, pace);
        if (!complete)
        {
            _quit = true;
            LogTransaction(queueId, tx, state.Size, pace.TooSlow ? "aborted: data arriving too slowly" : "aborted: connection lost during BDAT");
            return pace.TooSlow ? SmtpReplies.TooSlow : null;
        }
        if (tooBig)
        {
            await AbortTransactionAsync();
            LogTransaction(queueId, tx, state.Size, SmtpReplies.MessageTooBig.ToString());
            return SmtpReplies.MessageTooBig;
        }
        if (!last) return new SmtpReply(250, "2.0.0", $"{chunkSize} octets received");

        var reply = await FinishAsync(tx, state.Spool, queueId, ct);
        await AbortTransactionAsync();
        LogTransaction(queueId, tx, state.Size, reply.ToString());
        return reply;
    }

    private TransferPace NewPace() => new(_options.MinDataBytesPerSecond, _options.SlowTransferGrace);

    private MessageSpool NewSpool() => new(_services.SpoolDirectory);

    /// <summary>Runs the inbound check (SPF/DKIM/DMARC/ARC) on the received message, then writes
    /// the blob: our trace fields, the check's Authentication-Results, and the message minus any
    /// field the check removes (forged results claiming our name).</summary>
    private async Task<SmtpReply> FinishAsync(SmtpTransaction tx, MessageSpool spool, string queueId, CancellationToken ct)
    {
        var verdict = await CheckAsync(tx, spool, queueId, ct);
        if (verdict.Action == InboundAction.Reject) return new SmtpReply(550, "5.7.1", verdict.Reason ?? "Message refused by the sender's authentication policy");
        await using var writer = _services.Blobs.CreateWriter();
        try
        {
            await writer.WriteAsync(TraceHeader(tx, queueId), ct);
            if (verdict.HeaderFields.Length > 0) await writer.WriteAsync(Encoding.UTF8.GetBytes(verdict.HeaderFields), ct);
            await using var content = await spool.OpenReadAsync(ct);
            if (verdict.RemoveField is { } remove) await HeaderFieldFilter.CopyAsync(content, remove, writer.WriteAsync, ct);
            else await CopyAsync(content, writer, ct);
        }
        catch (IOException ex)
        {
            LogStoreFailed(_logger, ex, queueId); // e.g. disk full: nothing was stored, the client retries
            return SmtpReplies.LocalError;
        }
        return await CommitAsync(tx, writer, queueId, verdict.Action == InboundAction.Junk, ct);
    }

    private async Task<InboundVerdict> CheckAsync(SmtpTransaction tx, MessageSpool spool, string queueId, CancellationToken ct)
    {
        if (_services.InboundCheck is not { } check) return InboundVerdict.AcceptUnchanged;
        try
        {
            return await check.CheckAsync(new InboundMessage(_connection.Remote.Address, _helo ?? "", tx.ReversePath.Address, _authenticated?.Address, spool.OpenReadAsync), ct);
        }
#pragma warning disable CA1031 // a broken check must not lose mail: accept it as if unchecked, and say so in the log
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
#pragma warning restore CA1031
        {
            LogCheckFailed(_logger, ex, queueId);
            return InboundVerdict.AcceptUnchanged;
        }
    }

    private static async Task CopyAsync(Stream content, IBlobWriter writer, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await content.ReadAsync(buffer, ct)) > 0) await writer.WriteAsync(buffer.AsMemory(0, n), ct);
    }

    private async Task<SmtpReply> CommitAsync(SmtpTransaction tx, IBlobWriter writer, string queueId, bool quarantine, CancellationToken ct)
    {
        try
        {
            var blob = await writer.CommitAsync(ct);
            if (await ForeignFromAsync(blob, ct) is { } foreign) return SmtpReplies.SenderNotOwned(foreign, _authenticated!.Address);
            var envelope = new Envelope(tx.ReversePath.Address, tx.Recipients, tx.Parameters.EnvId, tx.Parameters.Ret, tx.Parameters.Body,
                tx.Parameters.SmtpUtf8, _authenticated?.Address, _connection.Remote.Address.ToString(), _helo ?? "");
            await _services.Delivery.DeliverAsync(new DeliveryRequest(queueId, blob, writer.Length, envelope, tx.LocalAccounts, tx.RemoteRecipients, DateTimeOffset.UtcNow, quarantine), ct);
            if (_authenticated is not null) _services.Submission?.RecordSent(_authenticated);
            return new SmtpReply(250, "2.0.0", $"OK: queued as {queueId}");
        }
#pragma warning disable CA1031 // whatever failed, nothing was stored: the client must retry (451)
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogStoreFailed(_logger, ex, queueId);
            return SmtpReplies.LocalError;
        }
    }

    /// <summary>RFC 6409 §6.1 sender rules cover the From field too: the first From address an
    /// authenticated user may not use, or null.</summary>
    private async Task<string?> ForeignFromAsync(BlobId blob, CancellationToken ct)
    {
        if (_authenticated is null || _services.Submission is not { } policy) return null;
        await using var stream = _services.Blobs.OpenRead(blob) ?? throw new InvalidOperationException($"Blob {blob} vanished after commit.");
        return await policy.ForeignFromAsync(_authenticated, stream, ct);
    }

    private byte[] TraceHeader(SmtpTransaction tx, string queueId) => ReceivedHeader.Build(
        tx.ReversePath.Address, _helo ?? "unknown", _connection.Remote.Address, _options.Hostname,
        ReceivedHeader.Protocol(_ehlo, _connection.IsTls, _authenticated is not null, tx.Parameters.SmtpUtf8),
        queueId, _connection.Tls is { } t ? $"using {t.Protocol} with cipher {t.CipherSuite}" : null,
        tx.Recipients.Count == 1 ? tx.Recipients[0].Address : null, DateTimeOffset.Now);

    private void LogTransaction(string queueId, SmtpTransaction tx, long size, string result)
    {
        var outcome = result.StartsWith("250", StringComparison.Ordinal) ? "accepted" : result.StartsWith("aborted", StringComparison.Ordinal) ? "aborted" : "rejected";
        VigilMetrics.SmtpMessages.Add(1, new KeyValuePair<string, object?>("result", outcome), new KeyValuePair<string, object?>("listener", _connection.ListenerName));
        if (outcome == "accepted") VigilMetrics.SmtpBytes.Add(size);
        LogTransactionLine(_logger, queueId, _connection.Remote.Address.ToString(), tx.ReversePath.Address,
            string.Join(',', tx.Recipients.Select(r => r.Address)), size, result);
    }

    [LoggerMessage(EventId = 4001, EventName = "smtp.transaction", Level = LogLevel.Information,
        Message = "{QueueId} client={Client} from=<{Sender}> to=<{Recipients}> size={Size} result={Result}")]
    private static partial void LogTransactionLine(ILogger logger, string queueId, string client, string sender, string recipients, long size, string result);

    [LoggerMessage(EventId = 4002, EventName = "smtp.store_failed", Level = LogLevel.Error, Message = "{QueueId} could not be stored")]
    private static partial void LogStoreFailed(ILogger logger, Exception ex, string queueId);

    [LoggerMessage(EventId = 4003, EventName = "smtp.check_failed", Level = LogLevel.Error, Message = "{QueueId} could not be checked (SPF/DKIM/DMARC); accepted unchecked")]
    private static partial void LogCheckFailed(ILogger logger, Exception ex, string queueId);

    /// <summary>The message being assembled from BDAT chunks.</summary>
    private sealed class BdatState(MessageSpool spool, string queueId) : IAsyncDisposable
    {
        public MessageSpool Spool { get; } = spool;
        public string QueueId { get; } = queueId;
        public long Size { get; set; }
        public ValueTask DisposeAsync() => Spool.DisposeAsync();
    }
}
