using System.Buffers;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

// TRANSACTION state (RFC 1939 §5, §7): STAT, LIST, UIDL, RETR, TOP, DELE, RSET, NOOP.
public sealed partial class Pop3Session
{
    private const int ReadChunk = 64 * 1024;
    private const int FlushThreshold = 64 * 1024;

    private Task<Pop3Response?> TransactionAsync(Pop3Command command, CancellationToken ct)
    {
        var maildrop = _maildrop!;
        return command.Verb switch
        {
            Pop3Verb.Stat => Task.FromResult(Stat(command, maildrop)),
            Pop3Verb.List => Task.FromResult(Listing(command, maildrop, m => m.Size.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            Pop3Verb.Uidl => Task.FromResult(Listing(command, maildrop, maildrop.UniqueId)),
            Pop3Verb.Retr => RetrAsync(command, maildrop, ct),
            Pop3Verb.Top => TopAsync(command, maildrop, ct),
            Pop3Verb.Dele => Task.FromResult(Dele(command, maildrop)),
            Pop3Verb.Rset => Task.FromResult(Rset(command, maildrop)),
            Pop3Verb.Noop => Task.FromResult<Pop3Response?>(command.Argument.Length == 0 ? Pop3Response.Success("") : Pop3Response.Error("NOOP takes no arguments")),
            Pop3Verb.Unknown => Task.FromResult<Pop3Response?>(Pop3Response.Error("Unknown command")),
            _ => Task.FromResult<Pop3Response?>(Pop3Response.Error("Not permitted after login")),
        };
    }

    private static Pop3Response? Stat(Pop3Command command, Maildrop maildrop)
    {
        if (command.Argument.Length > 0) return Pop3Response.Error("STAT takes no arguments");
        var (count, octets) = maildrop.Stat();
        return Pop3Response.Success($"{count} {octets}");
    }

    /// <summary>LIST and UIDL share their shape: one message as "+OK n value", or all messages not
    /// marked deleted as a multi-line response.</summary>
    private Pop3Response? Listing(Pop3Command command, Maildrop maildrop, Func<MaildropMessage, string> value)
    {
        var name = command.Keyword;
        if (command.Arguments.Count > 1) return Pop3Response.Error($"Syntax: {name} [message-number]");
        if (command.Arguments.Count == 1)
        {
            if (!Pop3CommandParser.TryParseNumber(command.Arguments[0], out var n)) return Pop3Response.Error($"Syntax: {name} [message-number]");
            var message = maildrop.Find(n, out var error);
            return message is null ? Pop3Response.Error(error!) : Pop3Response.Success($"{n} {value(message)}");
        }
        var (count, octets) = maildrop.Stat();
        MultiLine.Write(_connection.Output, Pop3Response.Success($"{count} messages ({octets} octets)"),
            maildrop.Visible().Select(x => $"{x.Number} {value(x.Message)}"));
        return null;
    }

    private Task<Pop3Response?> RetrAsync(Pop3Command command, Maildrop maildrop, CancellationToken ct)
    {
        if (command.Arguments.Count != 1 || !Pop3CommandParser.TryParseNumber(command.Arguments[0], out var n))
            return Task.FromResult<Pop3Response?>(Pop3Response.Error("Syntax: RETR message-number"));
        var message = maildrop.Find(n, out var error);
        return message is null ? Task.FromResult<Pop3Response?>(Pop3Response.Error(error!)) : SendAsync(message, null, ct);
    }

    private Task<Pop3Response?> TopAsync(Pop3Command command, Maildrop maildrop, CancellationToken ct)
    {
        if (command.Arguments.Count != 2
            || !Pop3CommandParser.TryParseNumber(command.Arguments[0], out var n)
            || !Pop3CommandParser.TryParseNumber(command.Arguments[1], out var lines))
            return Task.FromResult<Pop3Response?>(Pop3Response.Error("Syntax: TOP message-number lines"));
        var message = maildrop.Find(n, out var error);
        return message is null ? Task.FromResult<Pop3Response?>(Pop3Response.Error(error!)) : SendAsync(message, lines, ct);
    }

    /// <summary>Streams a message (or its top) from its blob, dot-stuffed, applying backpressure:
    /// a client that stops reading for longer than the send timeout loses the connection (and,
    /// never having said QUIT, loses no mail).</summary>
    private async Task<Pop3Response?> SendAsync(MaildropMessage message, int? topLines, CancellationToken ct)
    {
        var stream = _services.Blobs.OpenRead(message.Blob, message.Size);
        if (stream is null) return Pop3Response.Error("Message was removed by another session");
        var output = _connection.Output;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_options.SendTimeout);
        try
        {
            await using (stream)
            {
                Reply(Pop3Response.Success(topLines is null ? $"{message.Size} octets" : "Top of message follows"));
                var encoder = new MessageEncoder(topLines);
                int read;
                while (!encoder.Done && (read = await stream.ReadAsync(buffer.AsMemory(0, ReadChunk), cts.Token)) > 0)
                {
                    encoder.Write(buffer.AsSpan(0, read), output);
                    if (output.UnflushedBytes >= FlushThreshold) await output.FlushAsync(cts.Token);
                }
                encoder.Complete(output);
                Pop3Metrics.Retrieved.Add(1, new KeyValuePair<string, object?>("command", topLines is null ? "RETR" : "TOP"));
                Pop3Metrics.SentBytes.Add(encoder.CanonicalLength);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return null;
    }

    private static Pop3Response? Dele(Pop3Command command, Maildrop maildrop)
    {
        if (command.Arguments.Count != 1 || !Pop3CommandParser.TryParseNumber(command.Arguments[0], out var n))
            return Pop3Response.Error("Syntax: DELE message-number");
        // RFC 1939 §6: marked only; removed in the UPDATE state after QUIT.
        return maildrop.MarkDeleted(n, out var error) ? Pop3Response.Success($"Message {n} deleted") : Pop3Response.Error(error!);
    }

    private static Pop3Response? Rset(Pop3Command command, Maildrop maildrop)
    {
        if (command.Argument.Length > 0) return Pop3Response.Error("RSET takes no arguments");
        maildrop.Reset();
        var (count, octets) = maildrop.Stat();
        return Pop3Response.Success($"Maildrop has {count} messages ({octets} octets)");
    }
}
