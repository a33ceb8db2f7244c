using System.Text;
using MimeKit;
using Vigil.Core.Delivery;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Dsn;

namespace Vigil.Core.Tests.Outbound;

/// <summary>The DSN is an RFC 3464 multipart/report whose fields carry the RFC 3461 envelope
/// parameters back to the sender; read back here with MimeKit's parser (interop tests read it with
/// Python's email package).</summary>
public sealed class DsnBuilderTests
{
    private const string Original = "Return-Path: <alice@example.test>\r\nFrom: alice@example.test\r\nTo: bob@remote.test\r\nSubject: hi\r\n\r\nbody\r\n";
    private static readonly DateTimeOffset Created = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static MimeMessage Build(DsnReturn ret, DsnAction action, string? envId = "env-42", string? orcpt = "rfc822;bob@remote.test")
    {
        var envelope = new Envelope("alice@example.test", [], envId, ret, BodyType.SevenBit, false, "alice@example.test", "127.0.0.1", "client");
        using var original = new MemoryStream(Encoding.ASCII.GetBytes(Original));
        var returned = ReturnedContent.Create(original, original.Length, ret, action == DsnAction.Failed, 1024 * 1024);
        var recipients = new[] { new DsnRecipient("bob@remote.test", orcpt, action, action == DsnAction.Failed ? "5.1.1" : "4.4.1", "mx.remote.test", "smtp; 550 5.1.1 no such user", Created) };
        var dsn = DsnBuilder.Build(new DsnContent("mail.example.test", "QQQQQQQQQQQQ", envelope, Created, Created.AddDays(5), recipients, returned));
        var bytes = new MemoryStream();
        dsn.WriteTo(WireFormat.Options, bytes);
        bytes.Position = 0;
        return MimeMessage.Load(bytes);
    }

    [Fact]
    public void Failure_report_has_the_three_parts_and_the_rfc3464_fields()
    {
        var dsn = Build(DsnReturn.Default, DsnAction.Failed);
        Assert.Equal("Undelivered Mail Returned to Sender", dsn.Subject);
        Assert.Equal("auto-replied", dsn.Headers["Auto-Submitted"]);
        Assert.Equal("MAILER-DAEMON@mail.example.test", dsn.From.Mailboxes.Single().Address);
        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        Assert.Equal(3, report.Count);
        Assert.IsType<TextPart>(report[0]);
        var status = Assert.IsType<MessageDeliveryStatus>(report[1]);
        var perMessage = status.StatusGroups[0];
        Assert.Equal("dns; mail.example.test", perMessage["Reporting-MTA"]);
        Assert.Equal("env-42", perMessage["Original-Envelope-Id"]);
        var perRecipient = status.StatusGroups[1];
        Assert.Equal("rfc822; bob@remote.test", perRecipient["Original-Recipient"]);
        Assert.Equal("rfc822; bob@remote.test", perRecipient["Final-Recipient"]);
        Assert.Equal("failed", perRecipient["Action"]);
        Assert.Equal("5.1.1", perRecipient["Status"]);
        Assert.Equal("dns; mx.remote.test", perRecipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 no such user", perRecipient["Diagnostic-Code"]);
        var returned = Assert.IsType<MessagePart>(report[2]);
        Assert.Equal("hi", returned.Message!.Subject); // RET absent + failure: the whole message
    }

    [Fact]
    public void Ret_hdrs_returns_only_the_header_block()
    {
        var dsn = Build(DsnReturn.Headers, DsnAction.Failed);
        var part = ((MultipartReport)dsn.Body!)[2];
        Assert.Equal("text/rfc822-headers", part.ContentType.MimeType);
        var text = Encoding.ASCII.GetString(ReturnedContent.ReadHeaderBlock(new MemoryStream(Encoding.ASCII.GetBytes(Original))));
        Assert.EndsWith("Subject: hi\r\n\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("body", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Delay_report_says_so_and_gives_the_retry_limit_and_no_envid_when_none_was_sent()
    {
        var dsn = Build(DsnReturn.Default, DsnAction.Delayed, envId: null, orcpt: null);
        Assert.Equal("Delayed Mail (still being retried)", dsn.Subject);
        var status = (MessageDeliveryStatus)((MultipartReport)dsn.Body!)[1];
        Assert.Null(status.StatusGroups[0]["Original-Envelope-Id"]);
        Assert.Equal("delayed", status.StatusGroups[1]["Action"]);
        Assert.Null(status.StatusGroups[1]["Original-Recipient"]);
        Assert.NotNull(status.StatusGroups[1]["Will-Retry-Until"]);
        Assert.Equal("text/rfc822-headers", ((MultipartReport)dsn.Body!)[2].ContentType.MimeType); // delays return headers only
    }
}
