using Vigil.Core.Indexing;

namespace Vigil.Protocols.Imap.Tests.Protocol;

/// <summary>The sample messages under Messages/ and their indexed summaries.</summary>
internal static class TestMessages
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Messages", name));

    public static MessageSummary Summary(string name)
    {
        using var stream = new MemoryStream(Bytes(name));
        return MessageIndexer.Index(stream).Summary;
    }
}
