using System.Net;
using System.Net.Sockets;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Smtp;

/// <summary>What an admin's Prometheus sees after mail flows.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Accepted_and_rejected_transactions_and_logins_are_scraped()
    {
        var port = LoopbackPort.Free();
        await using var server = await TestServer.StartAsync(c => c.Ports.Metrics = port);
        await server.AddUserAsync("bob");
        await using (var c = await RawClient.ConnectAsync(server.EndPoint("smtp")))
        {
            await c.ReadReplyAsync();
            await c.CommandAsync("EHLO m.test");
            await c.CommandAsync("AUTH PLAIN AGJvYkBleGFtcGxlLnRlc3QAd3Jvbmc=");
            await c.CommandAsync("MAIL FROM:<a@remote.test>");
            await c.CommandAsync("RCPT TO:<bob@example.test>");
            await c.CommandAsync("DATA");
            Assert.StartsWith("250", await c.CommandAsync("Subject: m\r\n\r\nx\r\n."));
            await c.CommandAsync("MAIL FROM:<a@remote.test>");
            await c.CommandAsync("RCPT TO:<bob@example.test>");
            await c.CommandAsync("DATA");
            Assert.StartsWith("554", await c.CommandAsync("bare\nlf\r\n."));
        }
        using var http = new HttpClient();
        string text = "";
        for (var i = 0; i < 50 && !text.Contains("result=\"rejected\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        }
        Assert.Matches("vigil_smtp_messages_total\\{[^}]*result=\"accepted\"[^}]*\\} [1-9]", text);
        Assert.Matches("vigil_smtp_messages_total\\{[^}]*result=\"rejected\"[^}]*\\} [1-9]", text);
        Assert.Matches("vigil_auth_attempts_total\\{[^}]*outcome=\"InvalidCredentials\"[^}]*\\} [1-9]", text);
    }
}
