using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Routing;

namespace Vigil.Protocols.Smtp.Outbound;

/// <summary>Delivers one job over SMTP (Postfix's smtp client): tries the planned addresses in
/// order until one accepts a session, then sends every message of the job over that connection,
/// reporting each message's result as soon as its transaction ends. Messages not yet sent when a
/// connection breaks move on to the next address; whatever is left at the end is deferred. A
/// pause (lockdown) stops the job between two messages and leaves the rest untouched.</summary>
public sealed partial class SmtpDeliveryAgent(DeliveryPlanner planner, OutgoingMessage outgoing, OutboundOptions options, ILogger<SmtpDeliveryAgent> logger, OutboundPause? pause = null) : IDeliveryAgent
{
    /// <summary>Postfix's smtp_mx_session_limit: sessions that end in an error before moving on.</summary>
    private const int MaxSessions = 2;

    public async Task DeliverAsync(DeliveryJob job, Func<QueueItem, IReadOnlyList<RecipientResult>, Task> completed, CancellationToken ct)
    {
        var plan = await planner.PlanAsync(job.Domain, ct);
        if (plan.Verdict is { } verdict)
        {
            foreach (var item in job.Items) await completed(item, Verdict(item, verdict, null));
            return;
        }

        var pending = new Queue<QueueItem>(job.Items);
        var last = new RecipientVerdict(AttemptOutcome.Deferred, "4.4.1", $"no host for {job.Domain} could be reached");
        string? lastHost = null;
        var sessions = 0;
        foreach (var candidate in plan.Candidates)
        {
            if (pending.Count == 0 || sessions >= MaxSessions) break;
            using var client = new OutboundSmtpClient();
            var connectError = await ConnectAsync(client, candidate, plan.Route, ct);
            if (connectError is not null)
            {
                last = connectError;
                lastHost = candidate.Host;
                LogConnectFailed(logger, candidate.ToString(), connectError.Text);
                continue;
            }
            sessions++;
            LogConnected(logger, candidate.ToString(), client.IsSecure ? client.SslProtocol.ToString() : "none", pending.Count);
            while (pending.Count > 0)
            {
                if (pause?.IsPaused == true)
                {
                    // Lockdown: stop between messages; the rest stay queued, unreported, not attempted.
                    await QuitAsync(client);
                    return;
                }
                var item = pending.Peek();
                var results = await SendAsync(client, candidate, item, ct);
                if (results is null) break; // the connection broke before a reply: try this message on the next address
                pending.Dequeue();
                await completed(item, results);
                if (!client.IsConnected) break;
            }
            if (pending.Count > 0)
            {
                last = new RecipientVerdict(AttemptOutcome.Deferred, "4.4.2", $"connection to {candidate} was lost");
                lastHost = candidate.Host;
            }
            await QuitAsync(client);
        }
        foreach (var item in pending) await completed(item, Verdict(item, last, lastHost));
    }

    private async Task<RecipientVerdict?> ConnectAsync(OutboundSmtpClient client, Candidate candidate, Route route, CancellationToken ct)
    {
        var tls = route.Tls;
        // A password never crosses the network in clear: authenticated routes need TLS unless the
        // relay is on this machine.
        if (route.AuthUser is not null && tls is TlsPolicy.Opportunistic or TlsPolicy.None && !IPAddress.IsLoopback(candidate.Address)) tls = TlsPolicy.Required;
        var error = await TryConnectAsync(client, candidate, route, tls, ct);
        // Opportunistic TLS that fails in the handshake falls back to plain text, as RFC 7435 §1.3
        // intends: encryption when possible, never a reason not to deliver.
        if (error is { Status: "4.7.5" } && tls == TlsPolicy.Opportunistic)
        {
            LogTlsFallback(logger, candidate.ToString(), error.Text);
            error = await TryConnectAsync(client, candidate, route, TlsPolicy.None, ct);
        }
        return error;
    }

    private async Task<RecipientVerdict?> TryConnectAsync(OutboundSmtpClient client, Candidate candidate, Route route, TlsPolicy tls, CancellationToken ct)
    {
        client.LocalDomain = options.Hostname;
        client.Timeout = (int)options.CommandTimeout.TotalMilliseconds;
        client.CheckCertificateRevocation = false;
        client.ServerCertificateValidationCallback = (_, _, _, errors) => tls != TlsPolicy.Verify || errors == SslPolicyErrors.None;
        var secure = tls switch
        {
            TlsPolicy.None => SecureSocketOptions.None,
            TlsPolicy.Opportunistic => SecureSocketOptions.StartTlsWhenAvailable,
            _ => SecureSocketOptions.StartTls,
        };
        var socket = new Socket(candidate.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(options.ConnectTimeout);
                await socket.ConnectAsync(candidate.Address, candidate.Port, timeout.Token);
            }
            await client.ConnectAsync(socket, candidate.Host, candidate.Port, secure, ct);
            if (route.AuthUser is not null) await client.AuthenticateAsync(route.AuthUser, route.AuthSecret ?? "", ct);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.4.1", $"connect to {candidate}: timed out");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.4.1", $"connect to {candidate}: {ex.SocketErrorCode}");
        }
        catch (SslHandshakeException ex)
        {
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.7.5", $"TLS with {candidate} failed: {ex.Message}");
        }
        catch (NotSupportedException ex)
        {
            // StartTls demanded but not offered.
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.7.4", $"{candidate} does not offer STARTTLS: {ex.Message}");
        }
        catch (MailKit.Security.AuthenticationException ex)
        {
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.7.8", $"authentication as {route.AuthUser} at {candidate} failed: {ex.Message}");
        }
        catch (SmtpCommandException ex)
        {
            // A refused greeting or EHLO (even 5xx) is about this host, not the recipients: the next
            // MX may take the mail, and if none does the message waits (RFC 5321 §3.8, §5.1).
            var reply = SmtpReplyStatus.ToResult(0, (int)ex.StatusCode, ex.Message, candidate.Host, false);
            return new RecipientVerdict(AttemptOutcome.Deferred, "4" + reply.Status[1..], $"{candidate} refused the session: {reply.Diagnostic}");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or ServiceNotConnectedException)
        {
            return new RecipientVerdict(AttemptOutcome.Deferred, "4.4.2", $"{candidate}: {ex.Message}");
        }
    }

    /// <summary>One transaction; null when the connection broke without a verdict for the message.</summary>
    private async Task<IReadOnlyList<RecipientResult>?> SendAsync(OutboundSmtpClient client, Candidate candidate, QueueItem item, CancellationToken ct)
    {
        var remoteDsn = client.Capabilities.HasFlag(SmtpCapabilities.Dsn);
        await using var prepared = await outgoing.PrepareAsync(item.Message, client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime), ct);
        if (prepared.ProblemVerdict is { } problem) return Verdict(item, problem, null);
        try
        {
            var replies = await client.SendQueuedAsync(prepared.Message!, item.Message.Envelope, item.Recipients, ct);
            return item.Recipients.Select(r => replies.Rejected.TryGetValue(r.Id, out var rejected)
                ? SmtpReplyStatus.ToResult(r.Id, rejected, candidate.Host, remoteDsn)
                : SmtpReplyStatus.ToResult(r.Id, 250, replies.FinalReply, candidate.Host, remoteDsn)).ToList();
        }
        catch (SmtpCommandException ex)
        {
            // MAIL FROM or DATA refused (or no RCPT accepted): every recipient without a reply of
            // its own gets this one. MailKit has sent RSET; the connection stays usable.
            var rejected = client.LastRejected;
            return item.Recipients.Select(r => rejected.TryGetValue(r.Id, out var own)
                ? SmtpReplyStatus.ToResult(r.Id, own, candidate.Host, remoteDsn)
                : SmtpReplyStatus.ToResult(r.Id, (int)ex.StatusCode, ex.Message, candidate.Host, remoteDsn)).ToList();
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or ServiceNotConnectedException or SocketException)
        {
            LogConnectionLost(logger, candidate.ToString(), item.Message.Id, ex.Message);
            return null;
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        if (!client.IsConnected) return;
        try { await client.DisconnectAsync(true, CancellationToken.None); }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or SmtpCommandException or SocketException or ServiceNotConnectedException or OperationCanceledException)
        {
            // The messages are recorded; a failed QUIT changes nothing.
        }
    }

    private static List<RecipientResult> Verdict(QueueItem item, RecipientVerdict verdict, string? remote) =>
        item.Recipients.Select(r => new RecipientResult(r.Id, verdict.Outcome, verdict.Status, verdict.Text, false, remote)).ToList();

    [LoggerMessage(EventId = 5301, EventName = "smtp_out.connected", Level = LogLevel.Information, Message = "Connected to {Endpoint} tls={Tls}, {Count} message(s) to send")]
    private static partial void LogConnected(ILogger logger, string endpoint, string tls, int count);

    [LoggerMessage(EventId = 5302, EventName = "smtp_out.connect_failed", Level = LogLevel.Information, Message = "{Endpoint}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, string error);

    [LoggerMessage(EventId = 5303, EventName = "smtp_out.tls_fallback", Level = LogLevel.Warning, Message = "{Endpoint}: STARTTLS failed ({Error}); retrying without TLS")]
    private static partial void LogTlsFallback(ILogger logger, string endpoint, string error);

    [LoggerMessage(EventId = 5304, EventName = "smtp_out.connection_lost", Level = LogLevel.Warning, Message = "{Endpoint}: connection lost while sending {QueueId}: {Error}")]
    private static partial void LogConnectionLost(ILogger logger, string endpoint, string queueId, string error);
}
