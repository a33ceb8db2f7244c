using System.Text;

namespace Vigil.Protocols.Imap.Protocol.Parsing;

/// <summary>Reads the tokens of one command (RFC 9051 §9) from a <see cref="RawCommand"/>.
/// Every method either consumes a complete token or throws <see cref="ImapParseException"/>.</summary>
public sealed class ImapTokenReader(RawCommand command)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly ReadOnlyMemory<byte> _text = command.Text;
    private int _pos;

    private ReadOnlySpan<byte> Span => _text.Span;

    public bool AtEnd => _pos >= _text.Length;

    public int Position => _pos;

    public byte Peek() => AtEnd ? (byte)0 : Span[_pos];

    public bool PeekIs(char c) => !AtEnd && Span[_pos] == (byte)c;

    public bool TryConsume(char c)
    {
        if (!PeekIs(c)) return false;
        _pos++;
        return true;
    }

    public void Expect(char c)
    {
        if (!TryConsume(c)) throw new ImapParseException(AtEnd ? $"Expected '{c}' but the command ended" : $"Expected '{c}'");
    }

    public void ExpectSp() => Expect(' ');

    public void ExpectEnd()
    {
        if (!AtEnd) throw new ImapParseException("Unexpected characters at the end of the command");
    }

    /// <summary>Case-insensitively consumes <paramref name="word"/> when it is the next token
    /// (followed by a delimiter, not by more atom characters).</summary>
    public bool TryWord(string word)
    {
        var span = Span[_pos..];
        if (span.Length < word.Length) return false;
        for (var i = 0; i < word.Length; i++)
        {
            if (char.ToUpperInvariant((char)span[i]) != word[i]) return false;
        }
        if (span.Length > word.Length && ImapChars.IsAStringChar(span[word.Length]) && span[word.Length] != (byte)']') return false;
        _pos += word.Length;
        return true;
    }

    public string ReadTag() => Ascii(Take(ImapChars.IsTagChar, "tag"));

    /// <summary>An atom, upper-cased (command names, search keys, fetch items).</summary>
    public string ReadAtomUpper() => Ascii(Take(ImapChars.IsAtomChar, "atom")).ToUpperInvariant();

    public string ReadAtom() => Ascii(Take(ImapChars.IsAtomChar, "atom"));

    /// <summary>A fetch/section name: atom characters up to '[', '&lt;', '.' handling left to the caller.</summary>
    public string ReadName(Func<byte, bool> allowed) => Ascii(Take(allowed, "name")).ToUpperInvariant();

    public string ReadAString()
    {
        if (PeekIs('"') || PeekIs('{') || PeekIs('~')) return ReadString();
        return Ascii(Take(ImapChars.IsAStringChar, "string"));
    }

    public string? ReadNString()
    {
        if (TryWord("NIL")) return null;
        return ReadString();
    }

    /// <summary>A list-mailbox: an atom that may contain the wildcards % and *, or a string.</summary>
    public string ReadListMailbox()
    {
        if (PeekIs('"') || PeekIs('{')) return ReadString();
        return Ascii(Take(ImapChars.IsListChar, "mailbox pattern"));
    }

    public string ReadString()
    {
        if (PeekIs('"')) return ReadQuoted();
        var data = ReadLiteral();
        if (data.Spooled is not null) throw new ImapParseException("Literal too large");
        return Utf8(data.Inline.Span);
    }

    private string ReadQuoted()
    {
        Expect('"');
        var span = Span;
        var start = _pos;
        List<byte>? unescaped = null;
        while (true)
        {
            if (_pos >= span.Length) throw new ImapParseException("Unterminated quoted string");
            var b = span[_pos];
            if (b is (byte)'\r' or (byte)'\n' or 0) throw new ImapParseException("Invalid character in quoted string");
            if (b == (byte)'"')
            {
                var result = unescaped is null ? Utf8(span[start.._pos]) : Utf8(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(unescaped));
                _pos++;
                return result;
            }
            if (b == (byte)'\\')
            {
                // quoted-specials are the only escapes (RFC 9051 §9 QUOTED-CHAR).
                if (_pos + 1 >= span.Length || span[_pos + 1] is not ((byte)'"' or (byte)'\\')) throw new ImapParseException("Invalid escape in quoted string");
                unescaped ??= [.. span[start.._pos]];
                unescaped.Add(span[_pos + 1]);
                _pos += 2;
                continue;
            }
            unescaped?.Add(b);
            _pos++;
        }
    }

    /// <summary>A literal ("{n}", "{n+}" or literal8 "~{n}"): its bytes, or the handle of a spooled one.</summary>
    public LiteralData ReadLiteral()
    {
        var markerStart = _pos;
        var binary = TryConsume('~');
        Expect('{');
        long size = 0;
        var digits = 0;
        while (!AtEnd && Peek() is >= (byte)'0' and <= (byte)'9')
        {
            // Checked before multiplying: 19 digits can wrap a long negative (found by fuzzing).
            if (size > (long.MaxValue - 9) / 10) throw new ImapParseException("Literal size too large");
            size = size * 10 + (Span[_pos++] - '0');
            if (++digits > 19) throw new ImapParseException("Literal size too large");
        }
        if (digits == 0) throw new ImapParseException("Literal size expected");
        TryConsume('+');
        Expect('}');
        Expect('\r');
        Expect('\n');
        if (command.Spooled.TryGetValue(markerStart, out var handle)) return new LiteralData(ReadOnlyMemory<byte>.Empty, handle, size, binary);
        if (size > _text.Length - _pos) throw new ImapParseException("Literal is shorter than announced");
        var data = _text.Slice(_pos, (int)size);
        _pos += (int)size;
        return new LiteralData(data, null, size, binary);
    }

    public uint ReadNumber()
    {
        var v = ReadNumber64();
        if (v > uint.MaxValue) throw new ImapParseException("Number too large");
        return (uint)v;
    }

    public uint ReadNzNumber()
    {
        var v = ReadNumber();
        if (v == 0) throw new ImapParseException("Number must not be zero");
        return v;
    }

    /// <summary>number64 / mod-sequence-value: up to 2^63-1 (RFC 9051, RFC 7162).</summary>
    public ulong ReadNumber64()
    {
        var span = Span;
        var start = _pos;
        ulong v = 0;
        while (_pos < span.Length && span[_pos] is >= (byte)'0' and <= (byte)'9')
        {
            v = v * 10 + (ulong)(span[_pos++] - '0');
            if (v > long.MaxValue) throw new ImapParseException("Number too large");
        }
        if (_pos == start) throw new ImapParseException("Number expected");
        return v;
    }

    public SequenceSet ReadSequenceSet()
    {
        var token = Take(b => b is (>= (byte)'0' and <= (byte)'9') or (byte)':' or (byte)',' or (byte)'*' or (byte)'$', "sequence set");
        if (!SequenceSet.TryParse(token, out var set)) throw new ImapParseException("Invalid sequence set");
        return set;
    }

    /// <summary>A flag: "\" atom (system flag) or a keyword atom; "\*" only when allowed.</summary>
    public string ReadFlag()
    {
        if (TryConsume('\\'))
        {
            if (TryConsume('*')) return "\\*";
            return "\\" + ReadAtom();
        }
        return ReadAtom();
    }

    public List<string> ReadFlagList()
    {
        Expect('(');
        var flags = new List<string>();
        while (!TryConsume(')'))
        {
            if (flags.Count > 0) ExpectSp();
            flags.Add(ReadFlag());
            if (flags.Count > 256) throw new ImapParseException("Too many flags");
        }
        return flags;
    }

    /// <summary>A parenthesised list of space-separated items read by <paramref name="item"/>.</summary>
    public List<T> ReadList<T>(Func<ImapTokenReader, T> item, bool allowEmpty = true, int max = 1000)
    {
        Expect('(');
        var list = new List<T>();
        while (!TryConsume(')'))
        {
            if (AtEnd) throw new ImapParseException("Expected ')' but the command ended");
            if (list.Count > 0) ExpectSp();
            list.Add(item(this));
            if (list.Count > max) throw new ImapParseException("List too long");
        }
        if (!allowEmpty && list.Count == 0) throw new ImapParseException("Empty list");
        return list;
    }

    private ReadOnlySpan<byte> Take(Func<byte, bool> allowed, string what)
    {
        var span = Span;
        var start = _pos;
        while (_pos < span.Length && allowed(span[_pos])) _pos++;
        if (_pos == start) throw new ImapParseException(AtEnd ? $"Missing {what}" : $"Invalid {what}");
        return span[start.._pos];
    }

    private static string Ascii(ReadOnlySpan<byte> s) => Encoding.ASCII.GetString(s);

    private static string Utf8(ReadOnlySpan<byte> s)
    {
        try
        {
            return StrictUtf8.GetString(s);
        }
        catch (DecoderFallbackException)
        {
            throw new ImapParseException("Strings must be UTF-8");
        }
    }
}

/// <summary>The content of a literal: inline bytes, or the handle under which the session
/// spooled it (<see cref="RawCommand.Spooled"/>).</summary>
public sealed record LiteralData(ReadOnlyMemory<byte> Inline, object? Spooled, long Length, bool Binary);
