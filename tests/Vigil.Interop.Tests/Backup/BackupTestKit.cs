using System.Globalization;
using System.Security.Cryptography;
using MailKit.Net.Pop3;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Backup;

/// <summary>What the backup interop tests share: delivering with Python's smtplib, reading a
/// store's whole state, starting a server on a restored data directory, and fetching over POP3
/// with MailKit.</summary>
internal static class BackupTestKit
{
    /// <summary>One message as a mailbox holds it.</summary>
    public sealed record StoredMail(string Mailbox, uint Uid, MessageFlags Flags, string Keywords, string Sha256);

    /// <summary>Writes <paramref name="count"/> distinct .eml files (numbered from <paramref name="first"/>).</summary>
    public static string WriteMessages(string dir, int first, int count)
    {
        Directory.CreateDirectory(dir);
        for (var i = first; i < first + count; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"{i:D6}.eml"),
                $"From: s{i}@remote.test\r\nTo: x@example.test\r\nSubject: drill {i}\r\nMessage-ID: <{i}@drill.test>\r\nX-Seq: {i}\r\n\r\n" +
                string.Concat(Enumerable.Repeat($"line of message {i} {Guid.NewGuid()}\r\n", 5 + i % 40)) + (i % 7 == 0 ? ".leading dot\r\n" : ""));
        }
        return dir;
    }

    /// <summary>Delivers every file of <paramref name="dir"/> to <paramref name="rcpt"/> over SMTP with smtplib.</summary>
    public static Task<ExternalTool.Result> SendAsync(int smtpPort, string rcpt, string dir, int connections) =>
        ExternalTool.RunAsync("python3",
            [Path.Combine(AppContext.BaseDirectory, "python", "smtp_bulk.py"), "127.0.0.1", smtpPort.ToString(CultureInfo.InvariantCulture), rcpt, dir, connections.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromMinutes(3));

    /// <summary>Every message of the account in every mailbox, with flags and the SHA-256 of its bytes.</summary>
    public static async Task<List<StoredMail>> StateAsync(IServiceProvider services, string localPart)
    {
        var account = await services.GetRequiredService<IDirectoryStore>().GetAccountAsync(localPart, TestServer.Domain, default) ?? throw new InvalidOperationException("no account");
        var store = services.GetRequiredService<IMessageStore>();
        var blobs = services.GetRequiredService<IBlobStore>();
        var result = new List<StoredMail>();
        foreach (var mb in await store.ListMailboxesAsync(account.Id, default))
        {
            foreach (var m in await store.ListMessagesAsync(account.Id, mb.Id, default))
            {
                await using var s = blobs.OpenRead(m.BlobId) ?? throw new InvalidOperationException($"blob {m.BlobId} of {mb.Name}/{m.Uid} is missing");
                result.Add(new StoredMail(mb.Name, m.Uid, m.Flags, string.Join(' ', m.Keywords), Convert.ToHexStringLower(await SHA256.HashDataAsync(s))));
            }
        }
        return result.OrderBy(m => m.Mailbox, StringComparer.Ordinal).ThenBy(m => m.Uid).ToList();
    }

    /// <summary>A server on an existing data directory (a restored one), every listener on a free port.</summary>
    public static async Task<IHost> StartOnAsync(string dataDirectory)
    {
        var data = new DataDirectory(dataDirectory);
        var config = VigilConfig.Load(data);
        config.Ports = new ListenerPorts { Smtp = 0, Submission = 0, Submissions = 0, Imap = 0, Imaps = 0, Pop3 = 0, Pop3s = 0, Http = 0, Metrics = null };
        config.Backup = config.Backup with { Target = null };
        config.Save(data);
        var host = VigilServer.Build(data, config, l => l.SetMinimumLevel(LogLevel.Warning));
        await host.StartAsync();
        return host;
    }

    public static int Port(IServiceProvider services, string listener) =>
        services.GetRequiredService<ListenersHostedService>().Listeners.Single(l => l.Name == listener).BoundEndPoint!.Port;

    /// <summary>Every INBOX message fetched with MailKit's POP3 client.</summary>
    public static async Task<List<byte[]>> FetchInboxAsync(int pop3Port, string address, int expected)
    {
        using var client = new Pop3Client { Timeout = 60_000, ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", pop3Port, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(address, TestServer.Password);
        Assert.Equal(expected, client.Count);
        var messages = new List<byte[]>();
        for (var start = 0; start < client.Count; start += 100)
        {
            foreach (var s in await client.GetStreamsAsync(start, Math.Min(100, client.Count - start)))
            {
                using var ms = new MemoryStream();
                await s.CopyToAsync(ms);
                messages.Add(ms.ToArray());
            }
        }
        await client.DisconnectAsync(true);
        return messages;
    }

    /// <summary>The point id in the output of <c>vigil backup create</c>.</summary>
    public static string PointIdOf(string createOutput) =>
        System.Text.RegularExpressions.Regex.Match(createOutput, @"restore point (\S+) created").Groups[1].Value;

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    public static string Temp(string name) => Directory.CreateTempSubdirectory($"vigil-backup-{name}-").FullName;

    public static void MakeWritableAndDelete(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.Delete(dir, recursive: true);
    }
}
