using System.Text;
using Vigil.Core.Indexing;
using Vigil.Core.Messages;

namespace Vigil.Core.Tests.Indexing;

/// <summary>MIME nesting is bounded (MimeLimits): a message nested thousands of levels deep is
/// indexed on a thread with a small stack, its summary stored, and the content below the bound kept
/// as one opaque part. Before, it overflowed the stack (ending the process) or, from 31 levels,
/// failed to serialize.</summary>
public sealed class MimeDepthTests
{
    public static TheoryData<string, int> Messages() => new()
    {
        { "multipart", 40 },
        { "multipart", 3000 },
        { "rfc822", 3000 },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Deeply_nested_messages_are_indexed_within_the_bound(string kind, int depth)
    {
        var bytes = kind == "multipart" ? NestedMultiparts(depth) : NestedMessages(depth);
        MessageSummary? summary = null;
        Exception? failure = null;
        // 256 KiB, as the disk-sync threads on which an APPEND's indexing may continue.
        var thread = new Thread(() =>
        {
            try
            {
                summary = MessageIndexer.Index(new MemoryStream(bytes)).Summary;
                summary = SummaryJson.Deserialize(SummaryJson.Serialize(summary));
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        var levels = Depth(summary!.Body);
        Assert.InRange(levels, Math.Min(depth, 30), MimeLimits.MaxDepth + 2);
    }

    [Theory]
    [InlineData(MimeLimits.MaxParts - 10, MimeLimits.MaxParts - 10)]
    [InlineData(MimeLimits.MaxParts + 10, 0)]
    [InlineData(300_000, 0)]
    public void A_message_of_too_many_parts_is_one_opaque_part(int parts, int shown)
    {
        // MimeKit keeps an object per part (a 700 KB message of 100,000 empty parts took 200 MB on
        // a live server); beyond MimeLimits.MaxParts the body is not taken apart.
        var bytes = Encoding.ASCII.GetBytes("Subject: flat\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + string.Concat(Enumerable.Repeat("--b\r\n\r\nx\r\n", parts)) + "--b--\r\n");
        var indexed = MessageIndexer.Index(new MemoryStream(bytes));
        Assert.Equal(shown, indexed.Summary.Body.Parts.Count);
        Assert.Equal(bytes.Length, indexed.Summary.Body.BodyEnd);
        Assert.Equal("flat", indexed.Summary.Envelope.Subject);
    }

    private static int Depth(BodyPart part) =>
        1 + Math.Max(part.Parts.Count == 0 ? 0 : part.Parts.Max(Depth), part.MessageBody is { } m ? Depth(m) : 0);

    private static byte[] NestedMultiparts(int depth)
    {
        var sb = new StringBuilder("Subject: deep\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (var i = 0; i < depth; i++) sb.Append($"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n");
        sb.Append($"--b{depth}\r\nContent-Type: text/plain\r\n\r\nx\r\n--b{depth}--\r\n");
        for (var i = depth - 1; i >= 0; i--) sb.Append($"--b{i}--\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static byte[] NestedMessages(int depth)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < depth; i++) sb.Append($"Subject: level {i}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n");
        sb.Append("Subject: bottom\r\n\r\nx\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
