using System.Buffers;
using System.IO.Pipelines;

namespace Vigil.Net;

/// <summary>Bounded, timed reads for line-based protocols over a <see cref="PipeReader"/>.
/// Replies are flushed only when the client has no further complete command buffered, so a
/// pipelining client gets its replies in one write (RFC 2920 §3.1).</summary>
public sealed class ProtocolReader(PipeReader input, PipeWriter output)
{
    /// <summary>How much of an overlong line we swallow before giving up on the connection.</summary>
    public const int MaxDiscard = 1024 * 1024;

    public PipeReader Input { get; } = input;

    public async ValueTask<LineRead> ReadLineAsync(int maxLength, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        long discarded = 0;
        var flushed = false;
        try
        {
            while (true)
            {
                if (!Input.TryRead(out var result))
                {
                    if (!flushed)
                    {
                        await output.FlushAsync(cts.Token);
                        flushed = true;
                    }
                    result = await Input.ReadAsync(cts.Token);
                }
                var buffer = result.Buffer;
                var end = LineScanner.FindLineEnd(buffer);
                if (end is not null)
                {
                    var lineSeq = buffer.Slice(0, end.Value);
                    if (discarded > 0 || lineSeq.Length > maxLength)
                    {
                        Input.AdvanceTo(end.Value);
                        return LineRead.TooLong;
                    }
                    var line = lineSeq.ToArray();
                    Input.AdvanceTo(end.Value);
                    return new LineRead(LineStatus.Line, line);
                }
                if (buffer.Length > maxLength)
                {
                    // Overlong: drop what we have and keep reading until the line ends.
                    discarded += buffer.Length;
                    Input.AdvanceTo(buffer.End);
                    if (discarded > MaxDiscard) return LineRead.Abusive;
                    continue;
                }
                if (result.IsCompleted)
                {
                    Input.AdvanceTo(buffer.End);
                    return LineRead.Closed;
                }
                Input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return LineRead.TimedOut;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes and hands them to <paramref name="sink"/>
    /// in the pieces they arrive in (BDAT chunks, IMAP literals), without holding them all in memory.
    /// Returns false when the client closed or timed out first, or sent slower than
    /// <paramref name="pace"/> allows (a trickle that keeps every single read inside the timeout).</summary>
    public async ValueTask<bool> ReadExactAsync(long count, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> sink, TimeSpan timeout, CancellationToken ct, TransferPace? pace = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (count > 0)
            {
                cts.CancelAfter(timeout);
                var result = await Input.ReadAsync(cts.Token);
                var buffer = result.Buffer;
                var take = buffer.Slice(0, Math.Min(count, buffer.Length));
                foreach (var segment in take) await sink(segment, ct);
                count -= take.Length;
                Input.AdvanceTo(take.End);
                if (count > 0 && result.IsCompleted) return false;
                pace?.Add(take.Length);
                if (count > 0 && pace is { TooSlow: true }) return false;
            }
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>One raw read with a timeout, for protocol-specific framing (SMTP DATA). The caller
    /// must call <see cref="PipeReader.AdvanceTo(SequencePosition, SequencePosition)"/>.</summary>
    public async ValueTask<ReadResult?> ReadRawAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await Input.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }
}

/// <summary>The result of <see cref="ProtocolReader.ReadLineAsync"/>.</summary>
public readonly record struct LineRead(LineStatus Status, byte[] Line)
{
    public static readonly LineRead TooLong = new(LineStatus.TooLong, []);
    public static readonly LineRead Abusive = new(LineStatus.Abusive, []);
    public static readonly LineRead Closed = new(LineStatus.Closed, []);
    public static readonly LineRead TimedOut = new(LineStatus.TimedOut, []);
}

/// <summary>Why a line read ended.</summary>
public enum LineStatus
{
    Line,
    /// <summary>The line exceeded the limit and was discarded up to its end; the connection can go on.</summary>
    TooLong,
    /// <summary>No line end within <see cref="ProtocolReader.MaxDiscard"/> bytes: close the connection.</summary>
    Abusive,
    Closed,
    TimedOut,
}
