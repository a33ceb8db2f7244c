using System.Text;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>RFC 9051 §4.3.1 and §9: a literal "{n}" is *CHAR8 (no NUL); only a literal8 "~{n}"
/// (RFC 3516) may carry NUL. utf8-and-nul.txt covers small literals; this is the APPEND literal
/// too large to keep in memory, which the session streams to a blob as it arrives.</summary>
public sealed class LiteralNulTests
{
    [Fact]
    public async Task Nul_in_a_spooled_append_literal_is_bad_but_fine_in_a_literal8()
    {
        await using var server = await ImapTestServer.StartAsync();
        await using var c = await server.LoggedInAsync("alice");
        var message = Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + new string('x', 200_000) + "\r\n");
        message[150_000] = 0;

        await c.SendAsync(Encoding.ASCII.GetBytes($"a1 APPEND Drafts {{{message.Length}+}}\r\n").Concat(message).Concat("\r\n"u8.ToArray()).ToArray());
        Assert.Equal("a1 BAD NUL octets are only allowed in a literal8 (~{n})", await c.ReadLineAsync());
        Assert.Equal(["* STATUS Drafts (MESSAGES 0)", "a2 OK STATUS completed"], await c.CommandAsync("a2", "STATUS Drafts (MESSAGES)"));

        await c.SendAsync(Encoding.ASCII.GetBytes($"a3 APPEND Drafts ~{{{message.Length}+}}\r\n").Concat(message).Concat("\r\n"u8.ToArray()).ToArray());
        Assert.StartsWith("a3 OK [APPENDUID ", await c.ReadLineAsync());
        Assert.Equal([$"* STATUS Drafts (MESSAGES 1 SIZE {message.Length})", "a4 OK STATUS completed"], await c.CommandAsync("a4", "STATUS Drafts (MESSAGES SIZE)"));
    }
}
