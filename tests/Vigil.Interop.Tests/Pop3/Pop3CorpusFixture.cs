using Vigil.Core.Model;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>One Vigil server with the <see cref="Pop3Corpus"/> delivered over SMTP by Python's
/// smtplib to one account per POP3 client under test, so each test owns its maildrop.</summary>
public sealed class Pop3CorpusFixture : IAsyncLifetime
{
    public static readonly string[] Users = ["poplib", "mailkit", "fetchkeep", "fetchflush", "imapview"];

    private readonly Dictionary<string, Account> _accounts = [];
    private readonly Dictionary<int, byte[]> _delivered = [];

    public TestServer Server { get; private set; } = null!;
    public string WorkDir { get; } = Directory.CreateTempSubdirectory("vigil-pop3-interop-").FullName;

    public Account Account(string user) => _accounts[user];

    /// <summary>The stored message (trace header added by Vigil + the bytes smtplib sent) for a corpus number.</summary>
    public byte[] Delivered(int seq) => _delivered[seq];

    /// <summary>What a POP3 client must hold after removing dot-stuffing: the delivered octets,
    /// with CRLF added when the last line had none (RFC 1939 §3: a multi-line response is made of
    /// CRLF-terminated lines).</summary>
    public byte[] ExpectedRetr(int seq)
    {
        var d = _delivered[seq];
        return d.AsSpan().EndsWith("\r\n"u8) ? d : [.. d, (byte)'\r', (byte)'\n'];
    }

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        foreach (var u in Users) _accounts[u] = await Server.AddUserAsync(u);
        var corpus = Path.Combine(WorkDir, "corpus");
        Pop3Corpus.WriteFiles(corpus);
        var r = await ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "smtp_bulk.py"), "127.0.0.1", Server.Port("smtp").ToString(System.Globalization.CultureInfo.InvariantCulture),
             string.Join(',', Users.Select(u => $"{u}@{TestServer.Domain}")), corpus, "4"],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());

        var first = await Server.InboxAsync(_accounts[Users[0]]);
        Assert.Equal(Pop3Corpus.Count, first.Count);
        foreach (var m in first)
        {
            var bytes = Server.ReadBlob(m);
            var seq = Pop3Corpus.SeqOf(bytes);
            // What smtplib sent arrived intact after Vigil's trace header.
            var sent = Pop3Corpus.Message(seq);
            Assert.True(bytes.AsSpan().EndsWith(sent), $"message {seq} was not stored as sent");
            _delivered[seq] = bytes;
        }
        Assert.Equal(Pop3Corpus.Count, _delivered.Count);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}
