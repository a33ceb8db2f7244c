using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Vigil.Core.Model;

namespace Vigil.Protocols.Imap.Protocol.Writing;

/// <summary>Writes IMAP response syntax (RFC 9051 §7, §9) into a buffer. Strings become atoms,
/// quoted strings or literals by their content; with <see cref="Utf8"/> (UTF8=ACCEPT or
/// IMAP4rev2 enabled) UTF-8 may be quoted and mailbox names are not modified-UTF-7 encoded.</summary>
public sealed class ImapResponseWriter(IBufferWriter<byte> output)
{
    /// <summary>Longest string sent quoted; longer ones go as literals, which clients parse without escaping.</summary>
    public const int MaxQuoted = 1024;

    public bool Utf8 { get; set; }

    public IBufferWriter<byte> Output => output;

    public ImapResponseWriter Raw(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        return this;
    }

    public ImapResponseWriter Ascii(string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++) span[i] = (byte)text[i];
        output.Advance(text.Length);
        return this;
    }

    public ImapResponseWriter Number(long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
        return this;
    }

    public ImapResponseWriter Number(ulong value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var n);
        output.Advance(n);
        return this;
    }

    public ImapResponseWriter Sp() => Byte((byte)' ');

    public ImapResponseWriter Open() => Byte((byte)'(');

    public ImapResponseWriter Close() => Byte((byte)')');

    public ImapResponseWriter Crlf() => Raw("\r\n"u8);

    public ImapResponseWriter Nil() => Raw("NIL"u8);

    public ImapResponseWriter Byte(byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
        return this;
    }

    /// <summary>nstring: NIL for null, otherwise a string.</summary>
    public ImapResponseWriter NString(string? value) => value is null ? Nil() : String(value);

    /// <summary>astring: an atom when the value is one, otherwise a string.</summary>
    public ImapResponseWriter AString(string value) => ImapChars.IsAtom(value) ? Ascii(value) : String(value);

    /// <summary>A quoted string when allowed, else a literal.</summary>
    public ImapResponseWriter String(string value)
    {
        if (!CanQuote(value)) return Literal(Encoding.UTF8.GetBytes(value));
        Byte((byte)'"');
        if (IsAscii(value))
        {
            foreach (var c in value)
            {
                if (c is '"' or '\\') Byte((byte)'\\');
                Byte((byte)c);
            }
        }
        else
        {
            foreach (var b in Encoding.UTF8.GetBytes(value))
            {
                if (b is (byte)'"' or (byte)'\\') Byte((byte)'\\');
                Byte(b);
            }
        }
        return Byte((byte)'"');
    }

    private bool CanQuote(string value)
    {
        if (value.Length > MaxQuoted) return false;
        foreach (var c in value)
        {
            if (c is '\r' or '\n' or '\0') return false;
            if (c >= 0x80 && !Utf8) return false;
        }
        return true;
    }

    private static bool IsAscii(string s) => System.Text.Ascii.IsValid(s);

    public ImapResponseWriter Literal(ReadOnlySpan<byte> bytes, bool binary = false)
    {
        LiteralHeader(bytes.Length, binary);
        return Raw(bytes);
    }

    /// <summary>"{n}\r\n", or "~{n}\r\n" for binary content (RFC 3516 literal8).</summary>
    public ImapResponseWriter LiteralHeader(long length, bool binary = false)
    {
        if (binary) Byte((byte)'~');
        Byte((byte)'{').Number(length).Byte((byte)'}');
        return Crlf();
    }

    /// <summary>A mailbox name: "INBOX" always in that form, others modified UTF-7 unless UTF-8 is on.</summary>
    public ImapResponseWriter Mailbox(string name)
    {
        if (name.Equals(Core.Model.Mailbox.Inbox, StringComparison.OrdinalIgnoreCase)) return Ascii(Core.Model.Mailbox.Inbox);
        return AString(Utf8 ? name : ModifiedUtf7.Encode(name));
    }

    /// <summary>A flag list: system flags, keywords, then \Recent.</summary>
    public ImapResponseWriter Flags(MessageFlags flags, IEnumerable<string> keywords, bool recent)
    {
        Open();
        var first = true;
        void Flag(string f)
        {
            if (!first) Sp();
            Ascii(f);
            first = false;
        }
        foreach (var (bit, name) in SystemFlags.All)
        {
            if ((flags & bit) != 0) Flag(name);
        }
        foreach (var k in keywords) Flag(k);
        if (recent) Flag(SystemFlags.Recent);
        return Close();
    }

    /// <summary>"tag OK [CODE] text" (or NO/BAD), CRLF-terminated.</summary>
    public ImapResponseWriter Tagged(string tag, string status, string? code, string text)
    {
        Ascii(tag).Sp().Ascii(status).Sp();
        if (code is not null) Byte((byte)'[').Ascii(code).Raw("] "u8);
        return Text(text).Crlf();
    }

    /// <summary>"* OK [CODE] text" and the other status forms.</summary>
    public ImapResponseWriter UntaggedStatus(string status, string? code, string text)
    {
        Raw("* "u8).Ascii(status).Sp();
        if (code is not null) Byte((byte)'[').Ascii(code).Raw("] "u8);
        return Text(text).Crlf();
    }

    /// <summary>Human-readable text of a status response: printable ASCII only, never CR/LF.</summary>
    public ImapResponseWriter Text(string text)
    {
        foreach (var c in text) Byte(c is >= ' ' and < (char)127 ? (byte)c : (byte)'?');
        return this;
    }

    public ImapResponseWriter Untagged() => Raw("* "u8);

    public ImapResponseWriter Continuation(string text) => Raw("+ "u8).Text(text).Crlf();
}
