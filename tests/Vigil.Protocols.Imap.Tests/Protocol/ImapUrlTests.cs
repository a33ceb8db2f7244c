using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Urls;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class ImapUrlTests
{
    [Fact]
    public void Absolute_url_with_everything()
    {
        Assert.True(ImapUrl.TryParse("imap://joe%40example.com@mail.example.com/INBOX;UIDVALIDITY=385759045/;UID=20/;SECTION=1.2.HEADER.FIELDS%20(SUBJECT)/;PARTIAL=0.1024", out var u));
        Assert.Equal(("joe@example.com", "INBOX", 385759045u, 20u), (u.User, u.Mailbox, u.UidValidity, u.Uid));
        Assert.Equal("1.2.HEADER.FIELDS (SUBJECT)", u.Section.ToString());
        Assert.Equal((0u, 1024u), (u.PartialOffset, u.PartialLength));
        Assert.Equal(("mail.example.com", (int?)null), (u.Host, u.Port));
    }

    [Theory]
    [InlineData("imap://joe@mail.example.com:1143/INBOX/;UID=1", "mail.example.com", 1143)]
    [InlineData("imap://joe;AUTH=*@127.0.0.1/INBOX/;UID=1", "127.0.0.1", null)]
    [InlineData("imap://[::1]:993/INBOX/;UID=1", "::1", 993)]
    [InlineData("imap://[::1]/INBOX/;UID=1", "::1", null)]
    public void Absolute_urls_name_their_server(string url, string host, int? port)
    {
        Assert.True(ImapUrl.TryParse(url, out var u));
        Assert.Equal((host, port, "INBOX"), (u.Host, u.Port, u.Mailbox));
    }

    [Fact]
    public void Path_absolute_and_relative_urls()
    {
        Assert.True(ImapUrl.TryParse("/Entw%C3%BCrfe/;UID=3", out var u));
        Assert.Equal(("Entwürfe", 3u, SectionText.None), (u.Mailbox, u.Uid, u.Section.Text));
        Assert.True(ImapUrl.TryParse(";UID=7/;SECTION=TEXT", out u));
        Assert.Null(u.Mailbox);
        Assert.Null(u.Host);
        Assert.Equal(SectionText.Text, u.Section.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("imap://host")]
    [InlineData("imap://joe@/INBOX/;UID=1")]
    [InlineData("imap://host:0/INBOX/;UID=1")]
    [InlineData("imap://host:x/INBOX/;UID=1")]
    [InlineData("imap://[::1/INBOX/;UID=1")]
    [InlineData("/INBOX")]
    [InlineData("/INBOX/;UID=0")]
    [InlineData("/INBOX;UIDVALIDITY=x/;UID=1")]
    [InlineData("/INBOX/;UID=1/;SECTION=BOGUS")]
    [InlineData("/INBOX/;UID=1/;PARTIAL=1.0")]
    [InlineData("/%ZZ/;UID=1")]
    [InlineData("/INBOX/;UID=1/;UID=2")]
    public void Rejects_malformed(string url) => Assert.False(ImapUrl.TryParse(url, out _));
}
