using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Message views as MailKit's ImapClient parses them (issue 3 §4, compliance checklist in
/// docs/imap.md): BODYSTRUCTURE with extension data for nested multiparts and message/rfc822
/// inside message/rfc822, sections of encapsulated messages, partial ranges, HEADER.FIELDS.NOT.</summary>
public sealed class MailKitMessageViewTests
{
    /// <summary>multipart/mixed (with Content-Language) holding a multipart/alternative, a
    /// message/rfc822 that holds another message/rfc822, a base64-encoded message/rfc822 and a
    /// base64 attachment.</summary>
    public const string Nested =
        "From: A <a@x.test>\r\nTo: b@y.test\r\nSubject: nested\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/mixed; boundary=\"outer\"\r\nContent-Language: en\r\nContent-Location: http://x.test/m\r\n\r\n" +
        "preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n" +
        "--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\r\n\r\ncaf=C3=A9\r\n" +
        "--inner\r\nContent-Type: text/html\r\nContent-Language: de, fr\r\n\r\n<p>hi</p>\r\n--inner--\r\n" +
        "--outer\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"fwd.eml\"\r\n\r\n" +
        "From: C <c@z.test>\r\nSubject: inner msg\r\nContent-Type: multipart/mixed; boundary=\"deep\"\r\n\r\n" +
        "--deep\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n--deep\r\nContent-Type: message/rfc822\r\n\r\nSubject: innermost\r\n\r\nbody3\r\n--deep--\r\n" +
        "--outer\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogYjY0CgpoZWxsbwo=\r\n" +
        "--outer\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=a.bin\r\n\r\nAAECAwQ=\r\n" +
        "--outer--\r\nepilogue\r\n";

    [Fact]
    public async Task Bodystructure_of_nested_multiparts_and_encapsulated_messages()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("nina");
        using var client = await ConnectAsync(server, "nina");
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);
        var uid = (await inbox.AppendAsync(new AppendRequest(MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(Nested))))))!.Value;

        var s = (await inbox.FetchAsync([uid], MessageSummaryItems.BodyStructure | MessageSummaryItems.Envelope))[0];
        var root = Assert.IsType<BodyPartMultipart>(s.Body);
        Assert.Equal("mixed", root.ContentType.MediaSubtype);
        Assert.Equal("outer", root.ContentType.Boundary);
        Assert.Equal(["en"], root.ContentLanguage);
        Assert.Equal(new Uri("http://x.test/m"), root.ContentLocation);
        Assert.Equal(4, root.BodyParts.Count);

        var alternative = Assert.IsType<BodyPartMultipart>(root.BodyParts[0]);
        Assert.Equal(("alternative", "1"), (alternative.ContentType.MediaSubtype, alternative.PartSpecifier));
        var plain = Assert.IsType<BodyPartText>(alternative.BodyParts[0]);
        Assert.Equal(("1.1", "utf-8", "quoted-printable", 9u, 0u), (plain.PartSpecifier, plain.ContentType.Charset, plain.ContentTransferEncoding, plain.Octets, plain.Lines));
        Assert.Equal("Q2hlY2sgSW50ZWdyaXR5IQ==", plain.ContentMd5);
        var html = Assert.IsType<BodyPartText>(alternative.BodyParts[1]);
        Assert.Equal(("1.2", "us-ascii"), (html.PartSpecifier, html.ContentType.Charset));
        Assert.Equal(["de", "fr"], html.ContentLanguage);

        // message/rfc822 inside message/rfc822: envelope, body and lines at each level.
        var forwarded = Assert.IsType<BodyPartMessage>(root.BodyParts[1]);
        Assert.Equal("2", forwarded.PartSpecifier);
        Assert.Equal("inner msg", forwarded.Envelope.Subject);
        Assert.Equal(("attachment", "fwd.eml"), (forwarded.ContentDisposition.Disposition, forwarded.ContentDisposition.FileName));
        Assert.Equal(14u, forwarded.Lines);
        var forwardedBody = Assert.IsType<BodyPartMultipart>(forwarded.Body);
        Assert.Equal("deep", forwardedBody.ContentType.Boundary);
        var innermost = Assert.IsType<BodyPartMessage>(forwardedBody.BodyParts[1]);
        Assert.Equal(("2.2", "innermost"), (innermost.PartSpecifier, innermost.Envelope.Subject));
        Assert.Equal(5u, Assert.IsType<BodyPartText>(innermost.Body).Octets);

        // A base64 message/rfc822 is still a message in the grammar (RFC 9051 §7.5.2 body-type-msg).
        var encoded = Assert.IsType<BodyPartMessage>(root.BodyParts[2]);
        Assert.Equal(("3", "base64"), (encoded.PartSpecifier, encoded.ContentTransferEncoding));
        Assert.NotNull(encoded.Envelope);
        Assert.Equal(0u, Assert.IsType<BodyPartText>(encoded.Body).Octets);

        var attachment = Assert.IsType<BodyPartBasic>(root.BodyParts[3]);
        Assert.Equal(("4", "a.bin", 8u), (attachment.PartSpecifier, attachment.FileName, attachment.Octets));

        // Sections of the encapsulated messages, as MailKit asks for them (BODY.PEEK[2.2.1] etc.).
        Assert.Equal("body3", await SectionAsync(inbox, uid, "2.2.1"));
        Assert.Equal("body3", await SectionAsync(inbox, uid, "2.2.TEXT"));
        Assert.Equal("Subject: innermost\r\n\r\n", await SectionAsync(inbox, uid, "2.2.HEADER"));
        Assert.Equal("Content-Type: message/rfc822\r\n\r\n", await SectionAsync(inbox, uid, "2.2.MIME"));
        var inner = await inbox.GetBodyPartAsync(uid, forwarded);
        Assert.Equal("inner msg", ((MessagePart)inner).Message.Subject);
        Assert.Equal("From: C <c@z.test>\r\nSubject: inner msg\r\nContent-Type: multipart/mixed; boundary=\"deep\"\r\n\r\n", await SectionAsync(inbox, uid, "2.HEADER"));
        var bin = (MimePart)await inbox.GetBodyPartAsync(uid, attachment);
        using (var ms = new MemoryStream())
        {
            await bin.Content.DecodeToAsync(ms);
            Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, ms.ToArray());
        }
        await client.DisconnectAsync(true);
    }

    private static async Task<string> SectionAsync(IMailFolder folder, UniqueId uid, string section, int? offset = null, int? count = null)
    {
        using var stream = offset is null ? await folder.GetStreamAsync(uid, section) : await folder.GetStreamAsync(uid, section, offset.Value, count!.Value);
        using var ms = new MemoryStream();
        await stream.CopyToAsync(ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
