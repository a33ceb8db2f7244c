using System.Net;
using System.Text;
using Vigil.Protocols.Smtp.Server;

namespace Vigil.Protocols.Smtp.Tests.Protocol;

public sealed class ReceivedHeaderTests
{
    [Theory]
    [InlineData(false, false, false, false, "SMTP")]
    [InlineData(true, false, false, false, "ESMTP")]
    [InlineData(true, true, false, false, "ESMTPS")]
    [InlineData(true, false, true, false, "ESMTPA")]
    [InlineData(true, true, true, false, "ESMTPSA")]
    [InlineData(true, true, true, true, "UTF8SMTPSA")]
    public void Protocol_names_follow_rfc3848_and_rfc6531(bool ehlo, bool tls, bool auth, bool utf8, string expected) =>
        Assert.Equal(expected, ReceivedHeader.Protocol(ehlo, tls, auth, utf8));

    [Fact]
    public void Trace_fields_are_byte_exact_and_sanitise_the_helo_name()
    {
        var time = new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.FromHours(1));
        var text = Encoding.UTF8.GetString(ReceivedHeader.Build("a@b.test", "evil\r\nX-Injected: 1", IPAddress.Parse("192.0.2.7"), "mx.example.test", "ESMTP", "ABC123", null, "bob@example.test", time));
        Assert.Equal(
            "Return-Path: <a@b.test>\r\n" +
            "Received: from evilX-Injected:1 ([192.0.2.7])\r\n" +
            "\tby mx.example.test (Vigil) with ESMTP id ABC123\r\n" +
            "\tfor <bob@example.test>; Wed, 25 Nov 2026 08:30:00 +0100\r\n", text);
    }
}
