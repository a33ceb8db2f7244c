using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Smtp;

/// <summary>MailKit's SmtpClient, a client we did not write, on every SMTP path of issue 2.</summary>
public sealed class MailKitSmtpTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static MimeMessage Message(string to, string subject, string body, string from = "alice@remote.test")
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse(from));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = body };
        return m;
    }

    private static SmtpClient Client()
    {
        var c = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        return c;
    }

    [Fact]
    public async Task Plain_inbound_delivery_stores_message_with_trace_headers()
    {
        var bob = await _server.AddUserAsync("bob");
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        await client.SendAsync(Message("bob@example.test", "plain", "hello over plain SMTP"));
        await client.DisconnectAsync(true);

        var inbox = await _server.InboxAsync(bob);
        var stored = Encoding.UTF8.GetString(_server.ReadBlob(Assert.Single(inbox)));
        Assert.Equal("plain", inbox[0].Subject);
        Assert.StartsWith("Return-Path: <alice@remote.test>\r\nReceived: from ", stored, StringComparison.Ordinal);
        Assert.Contains("with ESMTP id", stored, StringComparison.Ordinal);
        Assert.Contains("for <bob@example.test>", stored, StringComparison.Ordinal);
        Assert.Contains("hello over plain SMTP", stored, StringComparison.Ordinal);
        Assert.Equal(stored.Length, inbox[0].Size);
    }

    [Theory]
    [InlineData("submission", SecureSocketOptions.StartTls, "PLAIN")]
    [InlineData("submission", SecureSocketOptions.StartTls, "LOGIN")]
    [InlineData("submissions", SecureSocketOptions.SslOnConnect, "PLAIN")]
    public async Task Submission_over_tls_with_auth(string listener, SecureSocketOptions tls, string mechanism)
    {
        var bob = await _server.AddUserAsync("bob");
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port(listener), tls);
        Assert.True(client.IsSecure);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
        await client.AuthenticateAsync("bob@example.test", TestServer.Password);
        await client.SendAsync(Message("bob@example.test", "tls " + mechanism, "over TLS", "bob@example.test"));
        await client.DisconnectAsync(true);

        var stored = Encoding.UTF8.GetString(_server.ReadBlob(Assert.Single(await _server.InboxAsync(bob))));
        Assert.Contains("with ESMTPSA id", stored, StringComparison.Ordinal);
        Assert.Contains("(using Tls", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_535()
    {
        await _server.AddUserAsync("bob");
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port("submission"), SecureSocketOptions.StartTls);
        var ex = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("bob@example.test", "wrong-password"));
        Assert.Contains("invalid", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Smtputf8_addresses_and_8bit_body_arrive_intact()
    {
        var user = await _server.AddUserAsync("jörg");
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
        var m = Message("jörg@example.test", "Grüße", "Ünïcödé body ✓", "renée@remote.test");
        m.Body = new TextPart("plain") { Text = "Ünïcödé body ✓", ContentTransferEncoding = ContentEncoding.EightBit };
        await client.SendAsync(m);
        await client.DisconnectAsync(true);

        var inbox = await _server.InboxAsync(user);
        var stored = Encoding.UTF8.GetString(_server.ReadBlob(Assert.Single(inbox)));
        Assert.Contains("Ünïcödé body ✓", stored, StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <renée@remote.test>", stored, StringComparison.Ordinal);
        Assert.Contains("with UTF8SMTP id", stored, StringComparison.Ordinal);
        Assert.Equal("Grüße", inbox[0].Subject);
    }

    [Fact]
    public async Task A_30_MB_message_is_stored_byte_for_byte()
    {
        var bob = await _server.AddUserAsync("bob");
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("alice@remote.test"));
        m.To.Add(MailboxAddress.Parse("bob@example.test"));
        m.Subject = "big";
        var payload = new byte[22 * 1024 * 1024]; // ~30 MB once base64-encoded
        new Random(42).NextBytes(payload);
        m.Body = new MimePart("application", "octet-stream") { Content = new MimeContent(new MemoryStream(payload)), ContentTransferEncoding = ContentEncoding.Base64, FileName = "big.bin" };
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        await client.SendAsync(m);
        await client.DisconnectAsync(true);

        var stored = _server.ReadBlob(Assert.Single(await _server.InboxAsync(bob)));
        Assert.True(stored.Length > 30_000_000, $"stored {stored.Length} bytes");
        var parsed = MimeMessage.Load(new MemoryStream(stored));
        using var decoded = new MemoryStream();
        ((MimePart)parsed.Body).Content.DecodeTo(decoded);
        Assert.Equal(payload, decoded.ToArray());
    }

    [Fact]
    public async Task Fifty_parallel_senders_each_get_their_message_stored_once()
    {
        await using var server = await TestServer.StartAsync(c => c.Smtp.MaxConnectionsPerIp = 60);
        var bob = await server.AddUserAsync("bob");
        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            using var client = Client();
            await client.ConnectAsync("127.0.0.1", server.Port("smtp"), SecureSocketOptions.None);
            await client.SendAsync(Message("bob@example.test", $"parallel {i}", $"body {i}"));
            await client.DisconnectAsync(true);
        });
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));

        var subjects = (await server.InboxAsync(bob)).Select(m => m.Subject).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"parallel {i}").Order(), subjects);
    }

    [Fact]
    public async Task Unknown_recipient_is_rejected_at_rcpt()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("ghost@example.test", "x", "y")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, ex.StatusCode);
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, ex.ErrorCode);
    }
}
