using Vigil.Protocols.Imap.Protocol;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class ModifiedUtf7Tests
{
    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")] // RFC 3501 §5.1.3
    [InlineData("Entwürfe", "Entw&APw-rfe")]
    [InlineData("😀", "&2D3eAA-")]
    [InlineData("Ünïcödé", "&ANw-n&AO8-c&APY-d&AOk-")]
    public void Encodes_and_decodes(string name, string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.Encode(name));
        Assert.True(ModifiedUtf7.TryDecode(encoded, out var decoded));
        Assert.Equal(name, decoded);
    }

    [Theory]
    [InlineData("&U,BTFw")]      // unterminated
    [InlineData("&AGE-")]        // encodes printable ASCII "a"
    [InlineData("&Jjo!-")]       // not base64
    [InlineData("a\u00e9b")]     // raw 8-bit is not modified UTF-7
    [InlineData("&ZeVnLIqe-&U,BTFw-")] // two adjacent encoded runs
    public void Rejects_invalid(string encoded) => Assert.False(ModifiedUtf7.TryDecode(encoded, out _));
}
