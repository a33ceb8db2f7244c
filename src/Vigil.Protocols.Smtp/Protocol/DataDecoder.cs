using System.Buffers;

namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>Decodes the DATA stream (RFC 5321 §4.1.1.4, §4.5.2): removes dot-stuffing and finds
/// the end of data. Only CRLF "." CRLF ends a message; a bare LF or CR never starts a line, so
/// "\n.\r\n" or "\r\n.\n" cannot end it early (the SMTP smuggling attack). Bare line endings and
/// over-long lines are flagged so the session can reject the message after the end is reached.
/// Pure and incremental: input may arrive in any split.</summary>
public sealed class DataDecoder
{
    /// <summary>RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets including CRLF.</summary>
    public const int MaxLineLength = 1000;

    private State _state = State.LineStart;
    private int _lineLength;

    public bool Completed { get; private set; }
    public bool BareLineEnding { get; private set; }
    public bool LineTooLong { get; private set; }

    private enum State { LineStart, Normal, SawCr, Dot, DotCr }

    /// <summary>Consumes bytes from <paramref name="input"/> into <paramref name="output"/> until
    /// the terminator; returns how many input bytes were consumed (the rest belongs to the next
    /// command).</summary>
    public int Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var i = 0;
        while (i < input.Length && !Completed)
        {
            if (_state == State.Normal || (_state == State.LineStart && input[i] != (byte)'.'))
            {
                // Fast path: the ordinary bytes up to the next CR or LF are copied in one piece;
                // only line endings and leading dots go through the state machine below.
                var rest = input[i..];
                var run = rest.IndexOfAny((byte)'\r', (byte)'\n');
                if (run < 0) run = rest.Length;
                if (run > 0)
                {
                    rest[..run].CopyTo(output.GetSpan(run));
                    output.Advance(run);
                    _lineLength += run;
                    _state = State.Normal;
                    i += run;
                    continue;
                }
            }
            Step(input[i++], output);
        }
        return i;
    }

    private void Step(byte b, IBufferWriter<byte> output)
    {
        switch (_state)
        {
            case State.LineStart when b == (byte)'.':
                _state = State.Dot;
                _lineLength = 1;
                return;
            case State.Dot when b == (byte)'\r':
                _state = State.DotCr;
                return;
            case State.Dot:
                // A leading dot followed by text: drop the stuffed dot (§4.5.2).
                _state = State.Normal;
                Normal(b, output);
                return;
            case State.DotCr when b == (byte)'\n':
                Completed = true;
                return;
            case State.DotCr:
                BareLineEnding = true;
                Emit(output, (byte)'\r');
                _state = State.Normal;
                Normal(b, output);
                return;
            case State.SawCr when b == (byte)'\n':
                Emit(output, (byte)'\r');
                Emit(output, (byte)'\n');
                _lineLength += 2;
                if (_lineLength > MaxLineLength) LineTooLong = true;
                _lineLength = 0;
                _state = State.LineStart;
                return;
            case State.SawCr:
                BareLineEnding = true;
                Emit(output, (byte)'\r');
                _lineLength++;
                _state = State.Normal;
                Normal(b, output);
                return;
            default:
                Normal(b, output);
                return;
        }
    }

    private void Normal(byte b, IBufferWriter<byte> output)
    {
        if (b == (byte)'\r')
        {
            _state = State.SawCr;
            return;
        }
        if (b == (byte)'\n') BareLineEnding = true; // stays Normal: a bare LF does not start a line
        _state = State.Normal;
        _lineLength++;
        Emit(output, b);
    }

    private static void Emit(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}
