using System.Buffers;
using System.Text;
using Vigil.Core.Indexing;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Sections;
using Vigil.Protocols.Imap.Protocol.Writing;

namespace Vigil.Protocols.Imap.Tests.Protocol;

/// <summary>ENVELOPE, BODYSTRUCTURE and section offsets of the sample messages. The expected
/// strings were checked against Dovecot 2.3 fetching the same files; where we differ it is said.</summary>
public class MessageViewTests
{
    private static string Structure(string message, bool extended = true, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        BodyStructureFormatter.Write(new ImapResponseWriter(buffer) { Utf8 = utf8 }, TestMessages.Summary(message).Body, extended);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Envelope(string message, bool utf8 = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeFormatter.Write(new ImapResponseWriter(buffer) { Utf8 = utf8 }, TestMessages.Summary(message).Envelope);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Simple_text_message()
    {
        Assert.Equal("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7bit\" 55 1 NIL NIL NIL NIL)", Structure("simple.eml"));
        Assert.Equal("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7bit\" 55 1)", Structure("simple.eml", extended: false));
        Assert.Equal(
            "(\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"afternoon meeting\" ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((\"Fred Foobar\" NIL \"foobar\" \"Blurdybloop.example\")) ((NIL NIL \"mooch\" \"owatagu.siam.edu.example\")) NIL NIL NIL \"<B27397-0100000@Blurdybloop.example>\")",
            Envelope("simple.eml"));
    }

    [Fact]
    public void Multipart_alternative()
    {
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 45 1 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 69 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"alt-boundary\") NIL NIL NIL)",
            Structure("alternative.eml"));
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 45 1)(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 69 0) \"alternative\")",
            Structure("alternative.eml", extended: false));
    }

    [Fact]
    public void Envelope_keeps_encoded_words_and_shows_groups()
    {
        Assert.Equal(
            "(\"Tue, 01 Jul 2025 10:00:00 +0200\" \"=?UTF-8?B?UsOpc3Vtw6k=?= of the plan\" ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((\"Alice Example\" NIL \"alice\" \"example.org\")) ((NIL NIL \"bob\" \"example.net\")(\"Carol\" NIL \"carol\" \"example.net\")) ((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)) NIL \"<prev@example.org>\" \"<alt-1@example.org>\")",
            Envelope("alternative.eml"));
        Assert.Equal("Résumé of the plan", TestMessages.Summary("alternative.eml").Envelope.SubjectText);
    }

    [Fact]
    public void Mixed_with_attachment_and_extension_data()
    {
        Assert.Equal(
            "(((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 24 0 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 31 0 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"inner\") NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"report.pdf\") \"<part2@example.com>\" \"The report\" \"base64\" 154 NIL (\"attachment\" (\"filename\" \"report.pdf\")) (\"en\" \"fr\") \"http://example.com/report.pdf\") \"mixed\" (\"boundary\" \"outer\") NIL NIL NIL)",
            Structure("mixed-attachment.eml"));
        Assert.Contains("((NIL NIL \"Team\" NIL)(NIL NIL \"erin\" \"example.com\")(NIL NIL \"frank\" \"example.com\")(NIL NIL NIL NIL))", Envelope("mixed-attachment.eml"));
    }

    [Fact]
    public void Message_rfc822_inside_message_rfc822()
    {
        // Dovecot counts the CRLF between the inner "--b2--" and the outer "--b1--" as the inner
        // epilogue (391 octets, 21 lines); by RFC 2046 §5.1.1 it belongs to the outer delimiter,
        // as MimeKit parses it, and BODY[2] returns exactly these 389 octets.
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 11 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 389 (\"Wed, 02 Jul 2025 12:00:00 +0000\" \"Fwd: hello\" ((NIL NIL \"middle\" \"example.org\")) ((NIL NIL \"middle\" \"example.org\")) ((NIL NIL \"middle\" \"example.org\")) ((NIL NIL \"outer\" \"example.org\")) NIL NIL NIL NIL) ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 121 (\"Tue, 01 Jul 2025 12:00:00 +0000\" \"hello\" ((NIL NIL \"inner\" \"example.org\")) ((NIL NIL \"inner\" \"example.org\")) ((NIL NIL \"inner\" \"example.org\")) ((NIL NIL \"middle\" \"example.org\")) NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 15 0 NIL NIL NIL NIL) 5 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b2\") NIL NIL NIL) 20 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL)",
            Structure("nested-rfc822.eml"));
    }

    [Fact]
    public void Encoded_message_rfc822_keeps_the_message_grammar()
    {
        // MimeKit does not parse a base64 message/rfc822 as a message; the body-type-msg form
        // (RFC 9051 §7.5.2) still needs an envelope, a body and a line count.
        Assert.Equal(
            "((\"message\" \"rfc822\" NIL NIL NIL \"base64\" 28 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) 0 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL)",
            Structure("encoded-rfc822.eml"));
        Assert.Equal(
            "((\"message\" \"rfc822\" NIL NIL NIL \"base64\" 28 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0) 0) \"mixed\")",
            Structure("encoded-rfc822.eml", extended: false));
    }

    [Fact]
    public void Broken_mime_still_has_a_structure()
    {
        // Dovecot drops the unparsable charset parameter of the second part; MimeKit recovers its value.
        Assert.Equal(
            "((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 0 NIL NIL NIL NIL)(\"text\" \"plain\" (\"charset\" \"unterminated\") NIL NIL \"7bit\" 37 1 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"never-closed\") NIL NIL NIL)",
            Structure("broken.eml"));
        Assert.Equal("((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL) \"mixed\" NIL NIL NIL NIL)", Structure("no-boundary.eml"));
    }

    private static string Section(string message, SectionSpec spec)
    {
        var bytes = TestMessages.Bytes(message);
        var range = SectionLocator.Locate(TestMessages.Summary(message).Body, bytes.Length, spec);
        if (range is null) return "<none>";
        var slice = bytes.AsSpan((int)range.Start, (int)range.Length);
        if (range.FieldFilter is { } f) slice = HeaderFieldFilter.Filter(slice, f.Fields, f.Text == SectionText.HeaderFieldsNot);
        return Encoding.UTF8.GetString(slice);
    }

    private static SectionSpec Spec(string text, params int[] part) => new(part, text switch
    {
        "HEADER" => SectionText.Header,
        "TEXT" => SectionText.Text,
        "MIME" => SectionText.Mime,
        "FIELDS" => SectionText.HeaderFields,
        "NOT" => SectionText.HeaderFieldsNot,
        _ => SectionText.None,
    }, []);

    [Fact]
    public void Sections_of_nested_messages()
    {
        const string m = "nested-rfc822.eml";
        Assert.Equal("From: middle@example.org\r\nTo: outer@example.org\r\nSubject: Fwd: hello\r\nDate: Wed, 02 Jul 2025 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n", Section(m, Spec("HEADER", 2)));
        Assert.Equal("Innermost body.", Section(m, Spec("", 2, 2, 1)));
        Assert.Equal("Innermost body.", Section(m, Spec("TEXT", 2, 2)));
        Assert.Equal("Content-Type: message/rfc822\r\n\r\n", Section(m, Spec("MIME", 2)));
        Assert.Equal("Subject: hello\r\n\r\n", Section(m, new SectionSpec([2, 2], SectionText.HeaderFields, ["subject"])));
        Assert.Equal("Forwarding.", Section(m, Spec("", 1)));
        Assert.Equal("<none>", Section(m, Spec("", 3)));
        Assert.Equal("<none>", Section(m, Spec("TEXT", 1)));
    }

    [Fact]
    public void Sections_of_a_single_part_message()
    {
        const string m = "simple.eml";
        var body = "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
        Assert.Equal(body, Section(m, Spec("", 1)));
        Assert.Equal(body, Section(m, Spec("TEXT")));
        Assert.Equal(271, Section(m, Spec("MIME", 1)).Length);
        Assert.Equal("<none>", Section(m, Spec("", 2)));
        Assert.Equal("<none>", Section(m, Spec("", 1, 1)));
        Assert.Equal(
            "To: mooch@owatagu.siam.edu.example\r\nMessage-Id: <B27397-0100000@Blurdybloop.example>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n",
            Section(m, new SectionSpec([], SectionText.HeaderFieldsNot, ["FROM", "DATE", "subject"])));
    }

    [Fact]
    public void Binary_decodes_the_attachment()
    {
        var bytes = TestMessages.Bytes("mixed-attachment.eml");
        var range = SectionLocator.Locate(TestMessages.Summary("mixed-attachment.eml").Body, bytes.Length, Spec("", 2))!;
        var decoded = TransferDecoder.Decode(bytes.AsSpan((int)range.Start, (int)range.Length), range.Entity!.Encoding)!;
        Assert.Equal(112, decoded.Length);
        Assert.StartsWith("%PDF-1.4", Encoding.ASCII.GetString(decoded));
        Assert.Null(TransferDecoder.Decode("x"u8, "x-custom"));
    }

    [Fact]
    public void Partial_windows()
    {
        Assert.Equal((2L, 5L), SectionLocator.Partial(11, 2, 5));
        Assert.Equal((11L, 0L), SectionLocator.Partial(11, 20, 5));
        Assert.Equal((8L, 3L), SectionLocator.Partial(11, 8, 100));
        Assert.Equal((0L, 11L), SectionLocator.Partial(11, null, null));
    }

    [Fact]
    public void Utf8_names_are_encoded_unless_enabled()
    {
        var summary = new MessageSummary(new EnvelopeData(null, "Grüße", "Grüße", [new EnvelopeAddress("Jürgen", null, "j", "example.de")], null, null, null, null, null, null, null), TestMessages.Summary("simple.eml").Body);
        var buffer = new ArrayBufferWriter<byte>();
        EnvelopeFormatter.Write(new ImapResponseWriter(buffer), summary.Envelope);
        Assert.Equal("(NIL \"=?utf-8?b?R3LDvMOfZQ==?=\" ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.de\")) ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.de\")) ((\"=?utf-8?b?SsO8cmdlbg==?=\" NIL \"j\" \"example.de\")) NIL NIL NIL NIL NIL)", Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.Clear();
        EnvelopeFormatter.Write(new ImapResponseWriter(buffer) { Utf8 = true }, summary.Envelope);
        Assert.StartsWith("(NIL \"Grüße\" ((\"Jürgen\" NIL", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
