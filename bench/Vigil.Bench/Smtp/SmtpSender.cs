using System.Net;
using Vigil.Bench.Net;

namespace Vigil.Bench.Smtp;

/// <summary>One SMTP transaction per connection, as an MX sees inbound mail: connect, EHLO, MAIL,
/// RCPT, DATA, the message, QUIT. The result says whether the server answered 250 to the data.</summary>
public static class SmtpSender
{
    public static async Task<SmtpOutcome> SendAsync(IPEndPoint server, IPAddress? source, string from, IReadOnlyList<string> to, byte[] message, CancellationToken ct)
    {
        LineClient client;
        try
        {
            client = await LineClient.ConnectAsync(server, source, ct);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return SmtpOutcome.Failed("connect: " + ex.Message);
        }
        await using (client)
        {
            try
            {
                var reply = await ReplyAsync(client, ct);
                if (reply.Code != 220) return SmtpOutcome.Failed("greeting " + reply.Text);
                if ((reply = await CommandAsync(client, "EHLO load.bench.test", ct)).Code != 250) return SmtpOutcome.Failed("EHLO " + reply.Text);
                if ((reply = await CommandAsync(client, $"MAIL FROM:<{from}>", ct)).Code != 250) return SmtpOutcome.Failed("MAIL " + reply.Text);
                foreach (var r in to)
                {
                    if ((reply = await CommandAsync(client, $"RCPT TO:<{r}>", ct)).Code != 250) return SmtpOutcome.Failed("RCPT " + reply.Text);
                }
                if ((reply = await CommandAsync(client, "DATA", ct)).Code != 354) return SmtpOutcome.Failed("DATA " + reply.Text);
                await client.WriteAsync(message, ct);
                await client.WriteAsync(".\r\n"u8.ToArray(), ct);
                reply = await ReplyAsync(client, ct);
                if (reply.Code != 250) return SmtpOutcome.Failed("end of data " + reply.Text);
                try
                {
                    await CommandAsync(client, "QUIT", ct);
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // accepted already; a lost QUIT changes nothing
                }
                return SmtpOutcome.Accepted(reply.Text);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                return SmtpOutcome.Failed(ex.GetType().Name + ": " + ex.Message);
            }
        }
    }

    private static async Task<(int Code, string Text)> CommandAsync(LineClient client, string line, CancellationToken ct)
    {
        await client.WriteLineAsync(line, ct);
        return await ReplyAsync(client, ct);
    }

    private static async Task<(int Code, string Text)> ReplyAsync(LineClient client, CancellationToken ct)
    {
        while (true)
        {
            var line = await client.ReadLineAsync(ct) ?? throw new IOException("connection closed");
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code)) throw new IOException("bad reply: " + line);
            if (line.Length == 3 || line[3] == ' ') return (code, line);
        }
    }
}

/// <summary>What the server told the client about one message.</summary>
public readonly record struct SmtpOutcome(bool Ok, string Detail)
{
    public static SmtpOutcome Accepted(string reply) => new(true, reply);
    public static SmtpOutcome Failed(string why) => new(false, why);
}
