using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Host.Setup;
using Vigil.Security.Auth;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A real Vigil server in this process: its own temp data directory, every listener on
/// a free loopback port, cheap Argon2 cost so logins are fast. Tests talk to it over TCP.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Domain = "example.test";
    public const string Password = "correct-horse-1";

    private IHost _host;

    private TestServer(DataDirectory data, VigilConfig config, IHost host, LoopbackDns dns)
    {
        Data = data;
        Config = config;
        _host = host;
        Dns = dns;
    }

    /// <summary>The DNS the server's sender authentication asks (empty: every name is NXDOMAIN).</summary>
    public LoopbackDns Dns { get; }

    public DataDirectory Data { get; }
    public VigilConfig Config { get; private set; }
    public IServiceProvider Services => _host.Services;

    public static async Task<TestServer> StartAsync(Action<VigilConfig>? configure = null, Action<IServiceCollection>? services = null)
    {
        var dns = new LoopbackDns();
        var (data, config) = InitializeData(c =>
        {
            c.MailAuth = c.MailAuth with { Enabled = true, DnsServers = [dns.EndPoint.ToString()], DnsCache = false };
            configure?.Invoke(c);
        });
        var host = VigilServer.Build(data, config, l => l.SetMinimumLevel(LogLevel.Warning), services);
        await host.StartAsync();
        var server = new TestServer(data, config, host, dns);
        await server.Get<IDirectoryStore>().AddDomainAsync(Domain, CancellationToken.None);
        return server;
    }

    /// <summary>A fresh data directory as <c>vigil init</c> makes it, with every listener on a free
    /// loopback port and cheap Argon2; for tests that start and stop servers themselves.</summary>
    public static (DataDirectory Data, VigilConfig Config) InitializeData(Action<VigilConfig>? configure = null)
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "vigil-test-" + Guid.NewGuid().ToString("N")[..12]));
        var ports = new ListenerPorts { Smtp = 0, Submission = 0, Submissions = 0, Imap = 0, Imaps = 0, Pop3 = 0, Pop3s = 0, Http = 0, Metrics = null };
        var config = DataDirectoryInitializer.Initialize(data, "mail.example.test", "127.0.0.1", 0, ports);
        config.Security.Argon2MemoryKiB = 64;
        config.Security.Argon2Iterations = 1;
        config.Login = new LoginOptions { FailureResponseTime = TimeSpan.FromMilliseconds(100) };
        config.AutoBan = config.AutoBan with { RefreshInterval = TimeSpan.FromMilliseconds(200) };
        // Sender authentication asks DNS; tests never ask the internet (StartAsync gives it a loopback DNS).
        config.MailAuth = config.MailAuth with { Enabled = false };
        configure?.Invoke(config);
        config.Save(data);
        return (data, config);
    }

    /// <summary>Stops the server and starts a new one on the same data directory (what survives a
    /// restart). With <paramref name="reloadConfig"/>, the new one reads vigil.json from disk as
    /// `vigil serve` does (for tests that edit it by hand); otherwise it keeps <see cref="Config"/>.</summary>
    public async Task RestartAsync(bool reloadConfig = false)
    {
        await _host.StopAsync();
        _host.Dispose();
        if (reloadConfig) Config = VigilConfig.Load(Data);
        _host = VigilServer.Build(Data, Config, l => l.SetMinimumLevel(LogLevel.Warning));
        await _host.StartAsync();
    }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The bound port of a mail listener, or of the HTTPS server for "http".</summary>
    public int Port(string listener) => listener == "http"
        ? Get<Vigil.Web.WebServer>().BoundEndPoint!.Port
        : Get<ListenersHostedService>().Listeners.Single(l => l.Name == listener).BoundEndPoint!.Port;

    public IPEndPoint EndPoint(string listener) => new(IPAddress.Loopback, Port(listener));

    public Task<Account> AddUserAsync(string localPart, long quota = 0) =>
        Get<AccountService>().CreateAsync(new EmailAddress(localPart, Domain), Password, quota, false, CancellationToken.None);

    public async Task<IReadOnlyList<StoredMessage>> InboxAsync(Account account)
    {
        var store = Get<IMessageStore>();
        var inbox = await store.GetMailboxAsync(account.Id, Mailbox.Inbox, CancellationToken.None);
        return await store.ListMessagesAsync(account.Id, inbox!.Id, CancellationToken.None);
    }

    public byte[] ReadBlob(StoredMessage message)
    {
        using var s = Get<IBlobStore>().OpenRead(message.BlobId)!;
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Dns.DisposeAsync();
        try { Directory.Delete(Data.Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
