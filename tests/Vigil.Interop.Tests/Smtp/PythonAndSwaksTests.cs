using System.Text;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Smtp;

/// <summary>Python's smtplib and swaks — two more clients we did not write — on the SMTP paths.</summary>
public sealed class PythonAndSwaksTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);

    [Theory]
    [InlineData("smtp", "plain", false)]
    [InlineData("submission", "starttls", true)]
    [InlineData("submissions", "ssl", true)]
    public async Task Python_smtplib_delivers(string listener, string mode, bool auth)
    {
        var bob = await _server.AddUserAsync("bob");
        var r = await ExternalTool.RunAsync("python3", [Script("smtp_send.py"), "127.0.0.1", _server.Port(listener).ToString(), mode,
            auth ? "bob@example.test" : "-", auth ? TestServer.Password : "-", auth ? "bob@example.test" : "py@remote.test", "bob@example.test", "from python " + mode]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var stored = Encoding.UTF8.GetString(_server.ReadBlob(Assert.Single(await _server.InboxAsync(bob))));
        Assert.Contains("Subject: from python " + mode, stored, StringComparison.Ordinal);
        Assert.Contains("\r\n.leading dot line\r\n", stored, StringComparison.Ordinal);
        Assert.Contains("çà ✓", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_smtplib_smtputf8_recipient()
    {
        var user = await _server.AddUserAsync("zoë");
        var r = await ExternalTool.RunAsync("python3", [Script("smtp_send.py"), "127.0.0.1", _server.Port("smtp").ToString(), "plain", "-", "-", "josé@remote.test", "zoë@example.test", "utf8", "utf8"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Single(await _server.InboxAsync(user));
    }

    [Fact]
    public async Task Pipelined_transaction_gets_every_reply_in_order()
    {
        var bob = await _server.AddUserAsync("bob");
        var carol = await _server.AddUserAsync("carol");
        var r = await ExternalTool.RunAsync("python3", [Script("smtp_pipelining.py"), "127.0.0.1", _server.Port("smtp").ToString(), "bob@example.test", "carol@example.test"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var a = Assert.Single(await _server.InboxAsync(bob));
        var b = Assert.Single(await _server.InboxAsync(carol));
        Assert.Equal(a.BlobId, b.BlobId); // one blob shared by both recipients
    }

    [Theory]
    [InlineData("smtp", new string[0])]
    [InlineData("submission", new[] { "-tls", "--auth", "PLAIN" })]
    [InlineData("submission", new[] { "-tls", "--auth", "LOGIN" })]
    [InlineData("submissions", new[] { "-tlsc", "--auth", "PLAIN" })]
    public async Task Swaks_delivers(string listener, string[] extra)
    {
        Assert.True(ExternalTool.Exists("swaks"), "swaks is not installed (scripts/install-test-deps.sh)");
        var bob = await _server.AddUserAsync("bob");
        var args = new List<string> { "--server", $"127.0.0.1:{_server.Port(listener)}", "--to", "bob@example.test", "--from", "bob@example.test",
            "--h-Subject", "swaks " + listener, "--body", "hello from swaks" };
        args.AddRange(extra);
        if (extra.Contains("--auth")) args.AddRange(["--auth-user", "bob@example.test", "--auth-password", TestServer.Password]);
        var r = await ExternalTool.RunAsync("swaks", args);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("swaks " + listener, Assert.Single(await _server.InboxAsync(bob)).Subject);
    }

    [Fact]
    public async Task Bdat_chunks_are_reassembled_in_order()
    {
        // MailKit uses BDAT on its own when CHUNKING is advertised; this pins the chunk boundaries.
        var bob = await _server.AddUserAsync("bob");
        await using var c = await RawClient.ConnectAsync(_server.EndPoint("smtp"));
        Assert.StartsWith("220", await c.ReadReplyAsync());
        Assert.StartsWith("250", await c.CommandAsync("EHLO raw.test"));
        Assert.StartsWith("250", await c.CommandAsync("MAIL FROM:<x@remote.test>"));
        Assert.StartsWith("250", await c.CommandAsync("RCPT TO:<bob@example.test>"));
        var content = "Subject: chunked\r\n\r\n" + new string('x', 100_000) + "\r\n";
        var bytes = Encoding.ASCII.GetBytes(content);
        await c.SendAsync(Encoding.ASCII.GetBytes($"BDAT 50000\r\n").Concat(bytes[..50000]).ToArray());
        Assert.Equal("250 2.0.0 50000 octets received", await c.ReadReplyAsync());
        await c.SendAsync(Encoding.ASCII.GetBytes($"BDAT {bytes.Length - 50000} LAST\r\n").Concat(bytes[50000..]).ToArray());
        Assert.StartsWith("250 2.0.0 OK: queued as", await c.ReadReplyAsync());
        var stored = _server.ReadBlob(Assert.Single(await _server.InboxAsync(bob)));
        Assert.EndsWith(content, Encoding.ASCII.GetString(stored), StringComparison.Ordinal);
    }
}
