using System.Globalization;
using System.Text.Json;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Python's imaplib through the basics, over STARTTLS on 143 and implicit TLS on 993.</summary>
public sealed class PythonImaplibTests
{
    [Theory]
    [InlineData("imap", "starttls")]
    [InlineData("imaps", "ssl")]
    public async Task Imaplib_login_select_search_fetch_store_append_copy_expunge(string listener, string mode)
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("kim");
        await DeliverAsync(server, "kim", Message("hello world", "first body"), Message("other", "second body"));
        var r = await ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "imap_basic.py"), "127.0.0.1", server.Port(listener).ToString(CultureInfo.InvariantCulture), mode, Address("kim"), TestServer.Password],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        var o = JsonDocument.Parse(r.Stdout).RootElement;
        string S(string name) => o.GetProperty(name).GetString()!;
        string[] A(string name) => o.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

        Assert.Contains("IMAP4REV1", A("capabilities"));
        Assert.Contains("AUTH=PLAIN", A("capabilities"));
        if (mode == "starttls") Assert.Contains("STARTTLS", A("before_tls"));
        Assert.Contains("(\\HasNoChildren \\Sent) \"/\" Sent", A("list"));
        Assert.Equal(["2"], A("select"));
        Assert.Equal("1 2", S("search_all"));
        Assert.Equal("1", S("search_subject"));
        Assert.StartsWith("1 (FLAGS (\\Seen \\Recent) RFC822.SIZE ", S("fetch_meta")); // RFC822 sets \Seen before the FLAGS are written
        Assert.Equal("Subject: hello world\r\n\r\n", S("fetch_header"));
        Assert.Contains(A("fetch_parts"), p => p.Contains("RFC822 {", StringComparison.Ordinal));
        Assert.Equal("1 (FLAGS (\\Seen \\Recent))", S("flags_after_rfc822"));
        Assert.Equal(["1 (FLAGS (\\Seen \\Flagged \\Recent))"], A("store"));
        Assert.Matches(@"^\[APPENDUID \d+ 3\] APPEND completed$", A("append").Single());
        Assert.Equal("3", S("uid_search"));
        Assert.Matches(@"^\d+ 3 1$", A("uid_copy").Single()); // the COPYUID response code
        Assert.Equal(["3"], A("expunge"));
        Assert.Equal("Archive (MESSAGES 1 UIDNEXT 2)", S("status"));
        Assert.Equal(["(\\HasChildren) \"/\" Py", "(\\HasNoChildren) \"/\" Py/Sub"], A("list_py"));
        Assert.Equal("BYE", S("logout"));
    }

    [Fact]
    public async Task Imaplib_sees_sections_partials_and_header_fields_byte_exact()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("lena");
        var r = await ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "imap_views.py"), "127.0.0.1", server.Port("imap").ToString(CultureInfo.InvariantCulture), Address("lena"), TestServer.Password],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        var o = JsonDocument.Parse(r.Stdout).RootElement;
        (string Label, string? Bytes) Item(string name)
        {
            var e = o.GetProperty(name);
            return (e.GetProperty("label").GetString()!, e.GetProperty("bytes").GetString());
        }

        // HEADER.FIELDS keeps folded lines; HEADER.FIELDS.NOT drops the named fields with their
        // continuations; both end with the blank line (RFC 9051 §6.4.5).
        Assert.Equal(("1 (BODY[HEADER.FIELDS (SUBJECT X-LONG)] {43}", "Subject: views\r\nX-Long: first\r\n  folded\r\n\r\n"), Item("BODY.PEEK[HEADER.FIELDS (subject x-long)]"));
        Assert.Equal(("1 (BODY[HEADER.FIELDS.NOT (SUBJECT X-LONG CONTENT-TYPE)] {55}", "From: A <a@x.test>\r\nTo: b@y.test\r\nMIME-Version: 1.0\r\n\r\n"), Item("BODY.PEEK[HEADER.FIELDS.NOT (Subject X-Long Content-Type)]"));
        // Partial ranges: the response names only the origin; a window past the end is cut, one
        // beyond the end is empty.
        Assert.Equal("1 (BODY[]<0> {100}", Item("BODY.PEEK[]<0.100>").Label);
        Assert.Equal(100, Item("BODY.PEEK[]<0.100>").Bytes!.Length);
        Assert.Equal(("1 (BODY[1]<5> {10}", "56789abcde"), Item("BODY.PEEK[1]<5.10>"));
        Assert.Equal(("1 (BODY[1]<15> {5}", "fghij"), Item("BODY.PEEK[1]<15.100>"));
        Assert.Equal(("1 (BODY[1]<100> {0}", ""), Item("BODY.PEEK[1]<100.10>"));
        Assert.Equal(("1 (BODY[TEXT]<0> {3}", "--b"), Item("BODY.PEEK[TEXT]<0.3>"));
        Assert.Equal(("1 (BODY[1.MIME] {46}", "Content-Type: text/plain; charset=us-ascii\r\n\r\n"), Item("BODY.PEEK[1.MIME]"));
        // BODY[2] is the encoded part; BINARY[2] the decoded octets, as a literal8 (RFC 3516).
        Assert.Equal(("1 (BODY[2] {8}", "AAEC/w=="), Item("BODY.PEEK[2]"));
        Assert.Equal(("1 (BINARY[2] ~{4}", "\u0000\u0001\u0002\u00ff"), Item("BINARY.PEEK[2]"));
        Assert.Equal("1 (BINARY.SIZE[2] 4)", Item("BINARY.SIZE[2]").Label);
        Assert.Equal("1 (RFC822.SIZE 313)", Item("RFC822.SIZE").Label);
        Assert.StartsWith("From: A <a@x.test>\r\n", Item("RFC822.HEADER").Bytes);
        Assert.EndsWith("boundary=\"b\"\r\n\r\n", Item("RFC822.HEADER").Bytes);
        Assert.Equal(("1 (RFC822.TEXT {172}", true), (Item("RFC822.TEXT").Label, Item("RFC822.TEXT").Bytes!.EndsWith("--b--\r\n", StringComparison.Ordinal)));
        Assert.True(o.GetProperty("whole").GetBoolean());
        Assert.Equal("1", o.GetProperty("search_seq").GetString());

        // BODY.PEEK[] leaves \Seen alone, BODY[TEXT] sets it (RFC 9051 §6.4.5).
        Assert.Equal("1 (FLAGS (\\Recent))", o.GetProperty("flags_after_peek").GetString());
        Assert.Equal("1 (FLAGS (\\Seen \\Recent))", o.GetProperty("flags_after_body").GetString());

        Assert.Equal("OK", o.GetProperty("check").GetString());
        Assert.Contains("() \"/\" Archive", o.GetProperty("lsub").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(o.GetProperty("lsub_after").EnumerateArray());
        // RENAME INBOX moves its messages and leaves an empty INBOX (RFC 9051 §6.3.6).
        Assert.Equal("INBOX (MESSAGES 0)", o.GetProperty("inbox_after_rename").GetString());
        Assert.Equal("Oldmail (MESSAGES 1)", o.GetProperty("renamed").GetString());
    }

    [Fact]
    public async Task Imaplib_meets_the_rev1_string_rules_and_the_rev2_removal_of_recent()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("noor");
        await DeliverAsync(server, "noor", Message("recent", "body"));
        var r = await ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "imap_strict.py"), "127.0.0.1", server.Port("imap").ToString(CultureInfo.InvariantCulture), Address("noor"), TestServer.Password],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.ToString());
        var o = JsonDocument.Parse(r.Stdout).RootElement;
        string S(string name) => o.GetProperty(name).GetString()!;

        // IMAP4rev1: \Recent is there; an 8-bit mailbox name is refused (RFC 3501 §5.1), its
        // modified UTF-7 form is fine; NUL in a {n} literal is BAD (RFC 9051 §4.3.1) and nothing is stored.
        Assert.Equal("OK INBOX (MESSAGES 1 RECENT 1)", S("rev1_status_recent"));
        Assert.Equal("NO [CANNOT] Invalid mailbox name", S("rev1_create_8bit"));
        Assert.Equal("OK CREATE completed", S("rev1_create_mutf7"));
        Assert.Equal("APPEND command error: BAD [b'NUL octets are only allowed in a literal8 (~{n})']", S("rev1_append_nul"));
        Assert.Matches(@"^OK \[APPENDUID \d+ 1\] APPEND completed$", S("rev1_append"));
        Assert.Equal("OK Drafts (MESSAGES 1)", S("rev1_status_drafts"));
        Assert.Equal("OK 1", S("rev1_search_recent"));
        // IMAP4rev2 (RFC 9051 App. E): no RECENT status item or search keys, no \Recent flag; names are UTF-8.
        Assert.Equal("OK ENABLE completed", S("rev2_enable"));
        Assert.Equal("STATUS command error: BAD [b'Unknown STATUS item RECENT (not in IMAP4rev2)']", S("rev2_status_recent"));
        Assert.Equal("OK INBOX (MESSAGES 1)", S("rev2_status"));
        Assert.Equal("OK CREATE completed", S("rev2_create_utf8"));
        Assert.Equal("SEARCH command error: BAD [b'Unknown search key (RECENT, NEW and OLD are not in IMAP4rev2)']", S("rev2_search_recent"));
        Assert.Equal("SEARCH command error: BAD [b'Unknown search key (RECENT, NEW and OLD are not in IMAP4rev2)']", S("rev2_search_new"));
        Assert.Equal("OK 1 (FLAGS ())", S("rev2_fetch_flags"));
    }
}
