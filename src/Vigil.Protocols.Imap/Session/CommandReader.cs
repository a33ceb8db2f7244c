using System.Buffers;
using Vigil.Core.Storage;
using Vigil.Net;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Session;

/// <summary>How reading one command ended.</summary>
public enum ReadOutcome
{
    Command,
    /// <summary>The command was refused while it arrived (a literal too large); reply and go on.</summary>
    Refused,
    /// <summary>A line longer than allowed; answer BAD and go on.</summary>
    TooLong,
    Closed,
    TimedOut,
    /// <summary>Input that cannot be framed any more (endless line, huge literal): BYE and close.</summary>
    Abusive,
}

/// <summary>The result of <see cref="CommandReader.ReadAsync"/>. For <see cref="ReadOutcome.Refused"/>,
/// <see cref="Status"/>, <see cref="Code"/> and <see cref="Text"/> are the tagged reply.</summary>
public sealed record CommandRead(ReadOutcome Outcome, RawCommand? Command = null, string? Tag = null, string Status = "BAD", string? Code = null, string Text = "")
{
    /// <summary>Blob writers holding spooled APPEND literals; the session disposes them after the command.</summary>
    public IReadOnlyList<IBlobWriter> Spooled { get; init; } = [];
}

/// <summary>Reads one complete command: its lines and literals (RFC 9051 §4.3), answering "+" to
/// synchronizing literals, streaming large APPEND literals into blob writers, and refusing what
/// exceeds the limits before the client sends it (RFC 7888 §4, RFC 7889 TOOBIG).</summary>
public sealed class CommandReader(Connection connection, ImapServerOptions options, IBlobStore blobs)
{
    /// <summary>Asked before an APPEND literal is accepted: null to accept, or the reason to refuse
    /// (e.g. quota).</summary>
    public Func<long, CancellationToken, Task<(string Code, string Text)?>>? AppendCheck { get; set; }

    public async Task<CommandRead> ReadAsync(TimeSpan timeout, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Dictionary<int, object>? spooled = null;
        var writers = new List<IBlobWriter>();
        string? tag = null;
        string? name = null;
        (string Status, string? Code, string Text)? refusal = null;
        var lineTimeout = timeout;
        long spooledBytes = 0;
        var handedOver = false;
        try
        {
            while (true)
            {
                var read = await connection.Reader.ReadLineAsync(options.MaxLineLength, lineTimeout, ct);
                switch (read.Status)
                {
                    case LineStatus.Closed: return new CommandRead(ReadOutcome.Closed);
                    case LineStatus.TimedOut: return new CommandRead(ReadOutcome.TimedOut);
                    case LineStatus.Abusive: return new CommandRead(ReadOutcome.Abusive);
                    case LineStatus.TooLong: return new CommandRead(ReadOutcome.TooLong, Tag: tag);
                }
                var line = LineScanner.TrimEol(read.Line, out _);
                if (tag is null && CommandParser.PeekCommand(line) is { } peek) (tag, name) = peek;
                var lineStart = buffer.WrittenCount;
                var marker = LiteralMarker.Find(line);
                if (buffer.WrittenCount + line.Length > options.MaxCommandBytes) refusal ??= ("BAD", null, "Command too long");
                if (refusal is null) buffer.Write(line);
                if (marker is not { } literal)
                {
                    if (refusal is { } r) return Refused(tag, r);
                    handedOver = true;
                    return new CommandRead(ReadOutcome.Command, new RawCommand(buffer.WrittenMemory, spooled), tag) { Spooled = writers };
                }

                var isAppend = name == "APPEND";
                refusal ??= await CheckLiteralAsync(literal, isAppend, buffer.WrittenCount, spooledBytes, ct);
                if (refusal is not null)
                {
                    if (!literal.NonSync) return Refused(tag, refusal.Value);
                    // A non-synchronizing literal is already on its way: swallow it, then the rest
                    // of the command, and refuse at the end (RFC 7888 §4). Too large to swallow: hang up.
                    if (literal.Size > options.AppendLimit + options.MaxCommandBytes) return new CommandRead(ReadOutcome.Abusive);
                    if (!await connection.Reader.ReadExactAsync(literal.Size, (_, _) => ValueTask.CompletedTask, options.LiteralTimeout, ct)) return new CommandRead(ReadOutcome.Closed);
                    lineTimeout = options.LiteralTimeout;
                    continue;
                }

                if (!literal.NonSync)
                {
                    var w = new ImapResponseWriter(connection.Output);
                    w.Continuation("Ready for literal data");
                    await connection.Output.FlushAsync(ct);
                }
                buffer.Write("\r\n"u8);
                // RFC 9051 §4.3.1 and §9: a literal is *CHAR8 (any octet but NUL); only a literal8
                // "~{n}" (RFC 3516) may carry NUL. Such a command is a syntax error: BAD once it has
                // arrived (UNKNOWN-CTE is for mailboxes that cannot store binary, which ours can).
                var nul = false;
                if (isAppend && literal.Size > options.InlineLiteralLimit)
                {
                    spooledBytes += literal.Size;
                    var writer = blobs.CreateWriter();
                    writers.Add(writer);
                    (spooled ??= [])[lineStart + literal.Start] = writer;
                    if (!await connection.Reader.ReadExactAsync(literal.Size, (chunk, token) =>
                    {
                        nul |= !literal.Binary && chunk.Span.Contains((byte)0);
                        return writer.WriteAsync(chunk, token);
                    }, options.LiteralTimeout, ct))
                        return new CommandRead(ReadOutcome.Closed);
                }
                else if (!await connection.Reader.ReadExactAsync(literal.Size, (chunk, _) =>
                {
                    nul |= !literal.Binary && chunk.Span.Contains((byte)0);
                    buffer.Write(chunk.Span);
                    return ValueTask.CompletedTask;
                }, options.LiteralTimeout, ct))
                {
                    return new CommandRead(ReadOutcome.Closed);
                }
                if (nul) refusal ??= ("BAD", null, "NUL octets are only allowed in a literal8 (~{n})");
                lineTimeout = options.LiteralTimeout;
            }
        }
        finally
        {
            // Spooled literals of a command that never reached the caller are abandoned here.
            if (!handedOver) foreach (var w in writers) await w.DisposeAsync();
        }
    }

    private async Task<(string, string?, string)?> CheckLiteralAsync(LiteralMarker literal, bool isAppend, int buffered, long spooled, CancellationToken ct)
    {
        if (isAppend)
        {
            // MULTIAPPEND may carry several messages; together they stay within a few messages' worth.
            if (literal.Size > options.AppendLimit || spooled + literal.Size > 8 * options.AppendLimit) return ("NO", "TOOBIG", "Message too large");
            if (AppendCheck is not null && await AppendCheck(literal.Size, ct) is { } refused) return ("NO", refused.Code, refused.Text);
            if (literal.Size > options.InlineLiteralLimit) return null;
        }
        // Subtracted, not added: a size near long.MaxValue would wrap the sum negative (found by fuzzing).
        if (literal.Size > options.MaxCommandBytes - buffered) return ("BAD", null, "Literal too large");
        return null;
    }

    private static CommandRead Refused(string? tag, (string Status, string? Code, string Text) r) =>
        new(ReadOutcome.Refused, Tag: tag, Status: r.Status, Code: r.Code, Text: r.Text);
}
