using System.Buffers;

namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>Turns stored message bytes into the body of a RETR or TOP response (RFC 1939 §3):
/// every line ends in CRLF (a bare LF becomes CRLF; a bare CR is ordinary text), a line that
/// begins with '.' gets one more '.', a last line without a line end gets CRLF, and
/// <see cref="Complete"/> adds the terminating ".CRLF". For TOP it stops after the header, the
/// blank line and the requested number of body lines (RFC 1939 §7).
///
/// <see cref="CanonicalLength"/> counts what the client holds after it removes the stuffing and
/// the terminator; LIST and STAT report exactly that, so sizes equal what RETR delivers.
/// Pure and incremental: input may arrive in any split, output may be null to only count.</summary>
public sealed class MessageEncoder
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly byte[] Cr = "\r"u8.ToArray();
    private static readonly byte[] Dot = "."u8.ToArray();

    private readonly int? _topLines;
    private bool _atLineStart = true;
    private bool _pendingCr;
    private bool _inBody;
    private long _lineLength;
    private int _bodyLinesLeft;

    /// <param name="topLines">Null for RETR; the body line count for TOP.</param>
    public MessageEncoder(int? topLines = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topLines ?? 0);
        _topLines = topLines;
    }

    /// <summary>True once TOP has sent all it should; further input is ignored.</summary>
    public bool Done { get; private set; }

    /// <summary>Octets of message content emitted so far, without stuffing and terminator.</summary>
    public long CanonicalLength { get; private set; }

    public void Write(ReadOnlySpan<byte> input, IBufferWriter<byte>? output)
    {
        var i = 0;
        while (i < input.Length && !Done)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (input[i] == (byte)'\n')
                {
                    i++;
                    EndLine(output);
                    continue;
                }
                Content(Cr, output); // a CR not followed by LF is text, not a line end
                continue;
            }
            if (_atLineStart)
            {
                _atLineStart = false;
                if (input[i] == (byte)'.') output?.Write(Dot); // byte-stuffing, not counted
            }
            var rest = input[i..];
            var stop = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (stop < 0)
            {
                Content(rest, output);
                return;
            }
            Content(rest[..stop], output);
            i += stop + 1;
            if (rest[stop] == (byte)'\n') EndLine(output);
            else _pendingCr = true;
        }
    }

    /// <summary>Ends the message: a CR left over and a missing final line end are written, then
    /// the ".CRLF" terminator (not counted).</summary>
    public void Complete(IBufferWriter<byte>? output)
    {
        if (!Done)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                Content(Cr, output);
            }
            if (!_atLineStart) EndLine(output);
        }
        output?.Write(MultiLine.Terminator);
    }

    /// <summary>The <see cref="CanonicalLength"/> of a whole message (what LIST reports).</summary>
    public static long Measure(ReadOnlySpan<byte> message)
    {
        var e = new MessageEncoder();
        e.Write(message, null);
        e.Complete(null);
        return e.CanonicalLength;
    }

    private void Content(ReadOnlySpan<byte> bytes, IBufferWriter<byte>? output)
    {
        if (bytes.IsEmpty) return;
        output?.Write(bytes);
        CanonicalLength += bytes.Length;
        _lineLength += bytes.Length;
    }

    private void EndLine(IBufferWriter<byte>? output)
    {
        output?.Write(Crlf);
        CanonicalLength += 2;
        var wasEmpty = _lineLength == 0;
        _lineLength = 0;
        _atLineStart = true;
        if (_topLines is not { } top) return;
        if (!_inBody)
        {
            // The first empty line ends the header (RFC 5322 §2.1).
            if (!wasEmpty) return;
            _inBody = true;
            _bodyLinesLeft = top;
        }
        else
        {
            _bodyLinesLeft--;
        }
        if (_bodyLinesLeft <= 0) Done = true;
    }
}
