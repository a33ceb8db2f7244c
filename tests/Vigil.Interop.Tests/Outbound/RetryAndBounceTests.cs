using System.Text;
using Vigil.Core.Outbound;
using Vigil.Interop.Tests.Outbound.Peers;
using static Vigil.Interop.Tests.Outbound.OutboundHelpers;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>Retries and reports against Postfix's smtp-sink as the remote MX, with Python's smtplib
/// submitting (RFC 3461 parameters included) and Python's email package reading the DSN that lands
/// in the sender's INBOX.</summary>
public sealed class RetryAndBounceTests
{
    [Fact]
    public async Task A_4xx_is_retried_until_the_remote_accepts_and_no_notice_is_sent()
    {
        await using var s = await OutboundScenario.StartAsync();
        var refusing = await s.SinkAsync(Loopback.Mx1, "-r", "RCPT"); // 450 4.3.0 to every RCPT
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "soft then ok"));

        var deferred = await s.AttemptedAsync(2);
        Assert.Equal(RecipientState.Pending, deferred.State);
        Assert.StartsWith("4.", deferred.Status, StringComparison.Ordinal);
        Assert.StartsWith("smtp; 450", deferred.LastError, StringComparison.Ordinal);
        Assert.Equal("mx1.remote.test", deferred.RemoteMta);

        await s.StopSinkAsync(refusing);
        var accepting = await s.SinkAsync(Loopback.Mx1);
        await s.WaitForEmptyQueueAsync();
        Assert.Contains("Subject: soft then ok", Assert.Single(accepting.Messages()), StringComparison.Ordinal);
        Assert.Empty(await s.Server.InboxAsync(s.Alice)); // delivered in the end: nothing to report
    }

    [Fact]
    public async Task A_5xx_bounces_into_the_senders_inbox_as_a_multipart_report_that_carries_the_dsn_parameters()
    {
        await using var s = await OutboundScenario.StartAsync();
        await s.SinkAsync(Loopback.Mx1, "-f", "RCPT", "-B", "550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown");
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "will bounce", ret: "HDRS", envId: "env-77", notify: "FAILURE", orcpt: "rfc822;bob-orig@remote.test"));

        var bounce = await s.InboxMessageAsync("Undelivered Mail Returned to Sender");
        var report = await ReadDsnWithPythonAsync(bounce);
        Assert.Contains("content-type: multipart/report", report, StringComparison.Ordinal);
        Assert.Contains("report-type: delivery-status", report, StringComparison.Ordinal);
        Assert.Contains("parts: text/plain,message/delivery-status,text/rfc822-headers", report, StringComparison.Ordinal); // RET=HDRS
        Assert.Contains("0:Reporting-MTA: dns; mail.example.test", report, StringComparison.Ordinal);
        Assert.Contains("0:Original-Envelope-Id: env-77", report, StringComparison.Ordinal);
        Assert.Contains("1:Original-Recipient: rfc822; bob-orig@remote.test", report, StringComparison.Ordinal);
        Assert.Contains("1:Final-Recipient: rfc822; bob@remote.test", report, StringComparison.Ordinal);
        Assert.Contains("1:Action: failed", report, StringComparison.Ordinal);
        Assert.Contains("1:Status: 5.1.1", report, StringComparison.Ordinal);
        Assert.Contains("1:Remote-MTA: dns; mx1.remote.test", report, StringComparison.Ordinal);
        Assert.Contains("1:Diagnostic-Code: smtp; 550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown", report, StringComparison.Ordinal);
        Assert.StartsWith("Return-Path: <>\r\n", bounce, StringComparison.Ordinal);
        Assert.Contains("From: Mail Delivery System <MAILER-DAEMON@mail.example.test>", bounce, StringComparison.Ordinal);
        await s.WaitForEmptyQueueAsync();
    }

    [Fact]
    public async Task Notify_never_means_no_bounce()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1, "-f", "RCPT", "-B", "550 5.1.1 no");
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "silent failure", notify: "NEVER"));
        await EventuallyAsync(() => Task.FromResult(sink.Log.Contains("RCPT TO:<bob@remote.test>", StringComparison.Ordinal) ? "tried" : null), "the attempt");
        await s.WaitForEmptyQueueAsync();
        await Task.Delay(300);
        Assert.Empty(await s.Server.InboxAsync(s.Alice));
    }

    [Fact]
    public async Task Mail_from_the_null_sender_that_fails_bounces_to_nobody()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1, "-f", "RCPT", "-B", "550 5.1.1 no");
        // A bounce from elsewhere (MAIL FROM:<>) reaches a local alias that forwards to remote.test.
        await s.Server.Get<Vigil.Core.Storage.IDirectoryStore>().AddAliasAsync("fwd", Infrastructure.TestServer.Domain, "bob@remote.test", CancellationToken.None);
        var send = await Infrastructure.ExternalTool.RunAsync("python3", ["-c",
            "import smtplib,sys\ns=smtplib.SMTP('127.0.0.1', int(sys.argv[1]))\ns.sendmail('', ['fwd@example.test'], b'From: MAILER-DAEMON@far.test\\r\\nSubject: a bounce\\r\\n\\r\\nreport\\r\\n')\ns.quit()",
            s.Server.Port("smtp").ToString()]);
        Assert.True(send.ExitCode == 0, send.ToString());
        await EventuallyAsync(() => Task.FromResult(sink.Log.Contains("RCPT TO:<bob@remote.test>", StringComparison.Ordinal) ? "tried" : null), "the forward attempt");
        await s.WaitForEmptyQueueAsync();
        await Task.Delay(300);
        Assert.Empty(await s.QueueAsync()); // no DSN was queued for anyone
        Assert.Contains("MAIL FROM:<>", sink.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delay_warning_comes_first_then_expiry_bounces_with_4_4_7()
    {
        await using var s = await OutboundScenario.StartAsync(configure: o =>
        {
            o.DelayWarningSeconds = 1;
            o.MaxAgeSeconds = 4;
        });
        await s.SinkAsync(Loopback.Mx1, "-r", "RCPT");
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "slow destination"));

        var delay = await ReadDsnWithPythonAsync(await s.InboxMessageAsync("Delayed Mail (still being retried)"));
        Assert.Contains("1:Action: delayed", delay, StringComparison.Ordinal);
        Assert.Contains("1:Status: 4.3.0", delay, StringComparison.Ordinal);
        Assert.Contains("1:Will-Retry-Until:", delay, StringComparison.Ordinal);
        Assert.Contains("parts: text/plain,message/delivery-status,text/rfc822-headers", delay, StringComparison.Ordinal);

        var expired = await ReadDsnWithPythonAsync(await s.InboxMessageAsync("Undelivered Mail Returned to Sender"));
        Assert.Contains("1:Action: failed", expired, StringComparison.Ordinal);
        Assert.Contains("1:Status: 4.4.7", expired, StringComparison.Ordinal);
        Assert.Contains("1:Diagnostic-Code: smtp; 450 4.3.0", expired, StringComparison.Ordinal);
        Assert.Contains("returned-subject: slow destination", expired, StringComparison.Ordinal); // a failure returns the whole message
        await s.WaitForEmptyQueueAsync();
        Assert.Equal(2, (await s.Server.InboxAsync(s.Alice)).Count); // one warning, one bounce: the warning is not repeated
    }

    [Fact]
    public async Task Notify_success_through_a_server_without_dsn_gets_a_relayed_report()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1, "-N"); // does not announce DSN
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "tell me when", notify: "SUCCESS,FAILURE"));
        var report = await ReadDsnWithPythonAsync(await s.InboxMessageAsync("Successful Mail Delivery Report"));
        Assert.Contains("1:Action: relayed", report, StringComparison.Ordinal);
        Assert.Contains("1:Status: 2.0.0", report, StringComparison.Ordinal);
        Assert.Single(sink.Messages());
    }

    [Fact]
    public async Task Notify_is_passed_on_to_a_server_that_supports_dsn_and_no_local_report_is_made()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1);
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "dsn hop", ret: "FULL", envId: "e-1", notify: "SUCCESS"));
        await s.WaitForEmptyQueueAsync();
        var dump = Assert.Single(sink.Messages());
        Assert.Contains("X-Mail-Args: <alice@example.test>", dump, StringComparison.Ordinal);
        Assert.Matches("X-Mail-Args: .*RET=FULL", dump);
        Assert.Matches("X-Mail-Args: .*ENVID=e-1", dump);
        Assert.Matches("X-Rcpt-Args: <bob@remote.test> .*NOTIFY=SUCCESS", dump);
        await Task.Delay(300);
        Assert.Empty(await s.Server.InboxAsync(s.Alice));
    }

    [Fact]
    public async Task A_mail_loop_bounces_with_5_4_6_without_being_sent()
    {
        await using var s = await OutboundScenario.StartAsync();
        var sink = await s.SinkAsync(Loopback.Mx1);
        var hops = new StringBuilder();
        for (var i = 0; i < 50; i++) hops.Append($"Received: from hop{i}.test by hop{i + 1}.test; Mon, 1 Jan 2026 00:00:{i % 60:00} +0000\n");
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "looping", extraHeaders: hops.ToString()));
        var report = await ReadDsnWithPythonAsync(await s.InboxMessageAsync("Undelivered Mail Returned to Sender"));
        Assert.Contains("1:Status: 5.4.6", report, StringComparison.Ordinal);
        Assert.Contains("mail loop", report, StringComparison.Ordinal);
        Assert.Empty(sink.Messages());
    }
}
