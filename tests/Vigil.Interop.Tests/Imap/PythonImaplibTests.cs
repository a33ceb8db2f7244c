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
}
