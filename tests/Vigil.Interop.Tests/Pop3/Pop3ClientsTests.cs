using System.Globalization;
using System.Text;
using MailKit.Net.Pop3;
using MailKit.Security;
using Vigil.Core.Model;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>Real POP3 clients we did not write — Python's poplib, MailKit's Pop3Client and
/// fetchmail — fetching the 1,000-message <see cref="Pop3Corpus"/> that Python's smtplib
/// delivered, compared byte for byte with what Vigil stored.</summary>
public sealed class Pop3ClientsTests(Pop3CorpusFixture corpus) : IClassFixture<Pop3CorpusFixture>
{
    private TestServer Server => corpus.Server;
    private static string Address(string user) => $"{user}@{TestServer.Domain}";
    private string Port(string listener) => Server.Port(listener).ToString(CultureInfo.InvariantCulture);

    private async Task<Mailbox> InboxOf(string user) =>
        (await Server.Get<Core.Storage.IMessageStore>().GetMailboxAsync(corpus.Account(user).Id, Mailbox.Inbox, default))!;

    /// <summary>UIDL values of the account's INBOX as Vigil defines them: UIDVALIDITY.UID.</summary>
    private async Task<Dictionary<string, int>> SeqByUidlAsync(string user)
    {
        var inbox = await InboxOf(user);
        var map = new Dictionary<string, int>();
        foreach (var m in await Server.InboxAsync(corpus.Account(user))) map[$"{inbox.UidValidity}.{m.Uid}"] = Pop3Corpus.SeqOf(Server.ReadBlob(m));
        return map;
    }

    [Fact]
    public async Task Python_poplib_fetches_everything_byte_for_byte_then_deletes_it()
    {
        var seqByUidl = await SeqByUidlAsync("poplib");
        var expectedOctets = Enumerable.Range(1, Pop3Corpus.Count).Sum(s => (long)corpus.ExpectedRetr(s).Length);

        // 1: STLS on port 110, keep everything.
        var keep = Path.Combine(corpus.WorkDir, "poplib-keep");
        var r = await ExternalTool.RunAsync("python3", [Script("pop3_fetch.py"), "127.0.0.1", Port("pop3"), "stls", Address("poplib"), TestServer.Password, keep], timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());
        var capa = File.ReadAllLines(Path.Combine(keep, "capa.txt"));
        Assert.Contains("SASL PLAIN", capa);
        Assert.Contains("USER", capa);
        Assert.Contains("PIPELINING", capa);
        Assert.DoesNotContain("STLS", capa); // already under TLS
        Assert.Equal($"{Pop3Corpus.Count} {expectedOctets}", File.ReadAllText(Path.Combine(keep, "stat.txt")).Trim());
        var uidls = ReadPairs(Path.Combine(keep, "uidl.txt"));
        var sizes = ReadPairs(Path.Combine(keep, "list.txt"));
        Assert.Equal(seqByUidl.Keys.Order(), uidls.Values.Order());
        foreach (var (number, uidl) in uidls)
        {
            var got = File.ReadAllBytes(Path.Combine(keep, "msg", uidl));
            var seq = seqByUidl[uidl];
            Assert.True(corpus.ExpectedRetr(seq).AsSpan().SequenceEqual(got), $"message {seq} differs");
            Assert.Equal(got.Length.ToString(CultureInfo.InvariantCulture), sizes[number]); // LIST size == octets RETR sent
        }
        Assert.Equal(Pop3Corpus.Count, (await Server.InboxAsync(corpus.Account("poplib"))).Count);

        // 2: implicit TLS on port 995, same UIDLs in a new session, DELE everything, QUIT.
        var flush = Path.Combine(corpus.WorkDir, "poplib-flush");
        r = await ExternalTool.RunAsync("python3", [Script("pop3_fetch.py"), "127.0.0.1", Port("pop3s"), "ssl", Address("poplib"), TestServer.Password, flush, "dele"], timeout: TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(File.ReadAllText(Path.Combine(keep, "uidl.txt")), File.ReadAllText(Path.Combine(flush, "uidl.txt")));
        Assert.Empty(await Server.InboxAsync(corpus.Account("poplib")));
    }

    [Fact]
    public async Task MailKit_fetches_everything_byte_for_byte_and_deletes_half()
    {
        var seqByUidl = await SeqByUidlAsync("mailkit");
        using (var client = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 })
        {
            await client.ConnectAsync("127.0.0.1", Server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);
            await client.AuthenticateAsync(Address("mailkit"), TestServer.Password);
            Assert.Equal(Pop3Corpus.Count, client.Count);

            var uids = await client.GetMessageUidsAsync();
            var sizes = await client.GetMessageSizesAsync();
            Assert.Equal(seqByUidl.Keys.Order(), uids.Order());
            // GetStreams pipelines the RETR commands (PIPELINING advertised).
            var seen = 0;
            for (var start = 0; start < client.Count; start += 100)
            {
                var streams = await client.GetStreamsAsync(start, Math.Min(100, client.Count - start));
                for (var i = 0; i < streams.Count; i++)
                {
                    using var ms = new MemoryStream();
                    await streams[i].CopyToAsync(ms);
                    var seq = seqByUidl[uids[start + i]];
                    Assert.True(corpus.ExpectedRetr(seq).AsSpan().SequenceEqual(ms.ToArray()), $"message {seq} differs");
                    Assert.Equal(ms.Length, sizes[start + i]);
                    seen++;
                }
            }
            Assert.Equal(Pop3Corpus.Count, seen);

            // TOP through MailKit: headers of the message that had no final CRLF.
            var noCrlf = uids.IndexOf(seqByUidl.Single(kv => kv.Value == Pop3Corpus.NoFinalCrlf).Key);
            var headers = await client.GetMessageHeadersAsync(noCrlf);
            Assert.Equal(Pop3Corpus.NoFinalCrlf.ToString(CultureInfo.InvariantCulture), headers["X-Corpus-Seq"]);

            await client.DeleteMessagesAsync(Enumerable.Range(0, client.Count).Where(i => i % 2 == 0).ToList());
            await client.DisconnectAsync(quit: true);
        }

        var left = await SeqByUidlAsync("mailkit");
        Assert.Equal(Pop3Corpus.Count / 2, left.Count);
        using var again = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 60_000 };
        await again.ConnectAsync("127.0.0.1", Server.Port("pop3"), SecureSocketOptions.StartTls);
        await again.AuthenticateAsync(Address("mailkit"), TestServer.Password);
        Assert.Equal(left.Keys.Order(), (await again.GetMessageUidsAsync()).Order());
        await again.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task Fetchmail_keep_mode_fetches_everything_once_and_leaves_it()
    {
        var dir = Path.Combine(corpus.WorkDir, "fetchmail-keep");
        var run = new FetchmailRun(dir, Server, Address("fetchkeep"), Server.Port("pop3s"), implicitTls: true, keep: true);
        var r = await run.RunAsync();
        Assert.True(r.ExitCode == 0, r.ToString());
        AssertFetchedCorpus(run.Delivered());
        Assert.Equal(Pop3Corpus.Count, (await Server.InboxAsync(corpus.Account("fetchkeep"))).Count);

        // Second poll: fetchmail remembers UIDLs, and they are stable, so nothing is new (exit 1 = no mail).
        var second = await run.RunAsync(fetchAll: false);
        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Equal(Pop3Corpus.Count, run.Delivered().Count);
    }

    [Fact]
    public async Task Fetchmail_flush_mode_fetches_everything_and_deletes_it()
    {
        var dir = Path.Combine(corpus.WorkDir, "fetchmail-flush");
        var run = new FetchmailRun(dir, Server, Address("fetchflush"), Server.Port("pop3"), implicitTls: false, keep: false);
        var r = await run.RunAsync();
        Assert.True(r.ExitCode == 0, r.ToString());
        AssertFetchedCorpus(run.Delivered());
        Assert.Empty(await Server.InboxAsync(corpus.Account("fetchflush")));
    }

    [Fact]
    public async Task A_second_client_gets_in_use_while_the_first_holds_the_maildrop()
    {
        using var holder = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await holder.ConnectAsync("127.0.0.1", Server.Port("pop3s"), SecureSocketOptions.SslOnConnect);
        await holder.AuthenticateAsync(Address("imapview"), TestServer.Password);

        using var log = new MemoryStream();
        using (var second = new Pop3Client(new MailKit.ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 })
        {
            await second.ConnectAsync("127.0.0.1", Server.Port("pop3"), SecureSocketOptions.StartTls);
            await Assert.ThrowsAsync<AuthenticationException>(() => second.AuthenticateAsync(Address("imapview"), TestServer.Password));
        }
        Assert.Contains("S: -ERR [IN-USE] Maildrop is in use by another POP3 session", Encoding.UTF8.GetString(log.ToArray()), StringComparison.Ordinal);
        await holder.DisconnectAsync(quit: true);
    }

    /// <summary>fetchmail hands each message to its MDA with LF line ends (it strips the CR of
    /// every CRLF), so the comparison is on that form.</summary>
    private void AssertFetchedCorpus(IReadOnlyList<byte[]> fetched)
    {
        Assert.Equal(Pop3Corpus.Count, fetched.Count);
        var bySeq = fetched.ToDictionary(m => Pop3Corpus.SeqOf(m));
        for (var seq = 1; seq <= Pop3Corpus.Count; seq++)
        {
            var expected = Lf(corpus.ExpectedRetr(seq));
            Assert.True(expected.AsSpan().SequenceEqual(bySeq[seq]), $"message {seq} differs");
        }
    }

    private static byte[] Lf(byte[] crlf) => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(crlf).Replace("\r\n", "\n", StringComparison.Ordinal));

    private static Dictionary<string, string> ReadPairs(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "python", name);
}
