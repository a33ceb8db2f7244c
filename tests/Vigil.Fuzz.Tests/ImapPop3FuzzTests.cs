using System.Text;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Fuzz.Tests;

/// <summary>The IMAP command parser (literals, nested lists, sequence sets, search keys) and the
/// POP3 command parser.</summary>
public sealed class ImapFuzzTests
{
    private static readonly IReadOnlyList<byte[]> Dictionary = MutationFuzzer.Tokens(
        "a1 ", "UID ", "FETCH ", "STORE ", "SEARCH ", "SORT ", "THREAD ", "APPEND ", "LOGIN ", "AUTHENTICATE ", "SELECT ", "LIST ", "STATUS ",
        "COPY ", "MOVE ", "EXPUNGE", "ENABLE ", "ID ", "IDLE", "COMPRESS DEFLATE", "CATENATE", "(", ")", "((", "))", "[", "]", "<0.100>",
        "{0}\r\n", "{5}\r\nhello", "{5+}\r\nhello", "~{3}\r\n\0\0\0", "{99999999999999999}\r\n", "{9999999999999999999}\r\n",
        "1:*", "*", "$", "1,2,3:4", "4294967295", "4294967296", "BODY[]", "BODY.PEEK[HEADER.FIELDS (FROM TO)]", "BINARY[1]",
        "FLAGS (\\Seen)", "+FLAGS.SILENT", "\"", "\\", "NIL", "UNCHANGEDSINCE 5", "MODSEQ", "CHARSET UTF-8", "OR ", "NOT ", "SINCE 1-Jan-2026",
        "\"INBOX\"", "&AOk-", "&-", "&Jjo", "\r\n");

    [Fact]
    public void Command_parser_survives_anything()
    {
        FuzzRunner.Run("imap-command", Dictionary, input =>
        {
            var result = CommandParser.Parse(new RawCommand(input));
            Assert.True(result.Request is null != (result.Error is null), "exactly one of request and error");
            var firstLine = input.AsSpan(0, Math.Max(0, input.AsSpan().IndexOf((byte)'\r') is var cr and >= 0 ? cr : input.Length));
            CommandParser.PeekCommand(firstLine);
            if (LiteralMarker.Find(firstLine) is { } marker) Assert.True(marker.Size >= 0, "literal size overflowed");
        });
    }

    [Fact]
    public void Sequence_sets_mailbox_names_and_dates_survive_anything()
    {
        FuzzRunner.Run("imap-sequence", Dictionary, input =>
        {
            if (SequenceSet.TryParse(input, out var set) && !set.IsSavedResult) Assert.NotEmpty(set.Ranges);
            var text = Encoding.UTF8.GetString(input);
            if (ModifiedUtf7.TryDecode(text, out var name)) Assert.NotNull(name);
            ModifiedUtf7.Encode(text);
            ImapDateTime.TryParseDateTime(text, out _);
            ImapDateTime.TryParseDate(text, out _);
        });
    }
}

public sealed class Pop3FuzzTests
{
    private static readonly IReadOnlyList<byte[]> Dictionary = MutationFuzzer.Tokens(
        "USER ", "PASS ", "APOP ", "AUTH PLAIN ", "CAPA", "STLS", "STAT", "LIST ", "RETR ", "DELE ", "TOP ", "UIDL ", "QUIT", "RSET", "NOOP",
        " 1", " 0", " -1", " 4294967296", " 99999999999999999999", "\t", "\0", "é");

    [Fact]
    public void Command_parser_survives_anything()
    {
        FuzzRunner.Run("pop3-command", Dictionary, input =>
        {
            var command = Pop3CommandParser.Parse(input, out var error);
            Assert.True(command is null != (error is null), "exactly one of command and error");
            Pop3CommandParser.TryParseNumber(Encoding.Latin1.GetString(input), out _);
        });
    }
}
