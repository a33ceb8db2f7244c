using System.Buffers;
using System.Text;
using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Tests.Protocol;

public sealed class Pop3ResponseTests
{
    private static string Bytes(Pop3Response r) => Encoding.ASCII.GetString(r.ToBytes());

    [Fact]
    public void Formats_status_lines_with_optional_code()
    {
        Assert.Equal("+OK 2 320\r\n", Bytes(Pop3Response.Success("2 320")));
        Assert.Equal("-ERR no such message\r\n", Bytes(Pop3Response.Error("no such message")));
        Assert.Equal("-ERR [IN-USE] maildrop locked\r\n", Bytes(Pop3Response.Error(Pop3ResponseCode.InUse, "maildrop locked")));
        Assert.Equal("+OK\r\n", Bytes(Pop3Response.Success("")));
    }

    [Fact]
    public void Text_cannot_inject_lines_or_exceed_512_octets()
    {
        Assert.Equal("-ERR bad??+OK\r\n", Bytes(Pop3Response.Error("bad\r\n+OK")));
        Assert.Equal(512, Pop3Response.Success(new string('x', 2000)).ToBytes().Length);
    }

    [Fact]
    public void Multi_line_ends_with_dot_and_stuffs()
    {
        var w = new ArrayBufferWriter<byte>();
        MultiLine.Write(w, Pop3Response.Success("list follows"), ["1 100", ".odd"]);
        Assert.Equal("+OK list follows\r\n1 100\r\n..odd\r\n.\r\n", Encoding.ASCII.GetString(w.WrittenSpan));
    }
}
