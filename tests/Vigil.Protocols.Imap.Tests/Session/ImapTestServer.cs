using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Messages;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Net;
using Vigil.Protocols.Imap.Session;
using Vigil.Security.Auth;
using Vigil.Security.Passwords;
using Vigil.Security.Tls;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>A real IMAP listener on a loopback port over a real embedded store in a temp
/// directory; tests talk to it over TCP, as clients do.</summary>
public sealed class ImapTestServer : IAsyncDisposable
{
    public const string Domain = "example.test";
    public const string Password = "secret";

    private readonly string _dir;
    private readonly SqliteDatabase _db;
    private readonly TcpListenerService _listener;

    private ImapTestServer(string dir, SqliteDatabase db, ImapServices services, TcpListenerService listener, DeliveryService delivery, AccountService accounts, RecordingObserver observer)
    {
        _dir = dir;
        _db = db;
        Services = services;
        _listener = listener;
        Delivery = delivery;
        Accounts = accounts;
        Attempts = observer;
    }

    public ImapServices Services { get; }
    public DeliveryService Delivery { get; }
    public AccountService Accounts { get; }
    public RecordingObserver Attempts { get; }
    public IPEndPoint EndPoint => _listener.BoundEndPoint!;

    /// <summary>The store's database file, for tests that look at or alter rows directly.</summary>
    public string DatabasePath => Path.Combine(_dir, "vigil.db");
    public int ActiveSessions => _listener.ActiveSessions;

    /// <param name="blobStore">Wraps the blob store the sessions read (tests that make bodies vanish).</param>
    public static async Task<ImapTestServer> StartAsync(Func<ImapServerOptions, ImapServerOptions>? configure = null, bool tls = false, Func<IBlobStore, IBlobStore>? blobStore = null)
    {
        var dir = Directory.CreateTempSubdirectory("vigil-imap-").FullName;
        var db = SqliteDatabase.Open(Path.Combine(dir, "vigil.db"));
        var directory = new SqliteDirectoryStore(db);
        var store = new SqliteMessageStore(db);
        var blobs = blobStore?.Invoke(new FileBlobStore(Path.Combine(dir, "blobs"))) ?? new FileBlobStore(Path.Combine(dir, "blobs"));
        var events = new MailboxEvents();
        var accounts = new AccountService(directory, new Argon2idPasswordHasher(new Argon2Cost(64, 1, 1)));
        var observer = new RecordingObserver();
        var logins = new LoginService(accounts, [observer], NullLogger<LoginService>.Instance);
        TlsCertificateProvider? certificates = null;
        if (tls)
        {
            SelfSignedCertificate.Write("localhost", Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
            certificates = new TlsCertificateProvider(Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        }
        // No background indexer: every full-text search here indexes what it needs itself.
        var search = new TextSearch(store, new TextIndexer(new SqliteTextIndex(db), blobs, NullLogger<TextIndexer>.Instance));
        var services = new ImapServices(store, blobs, directory, new MailboxService(store, events), new MessageService(store, blobs, events), events, logins, certificates,
            NullLoggerFactory.Instance, search);
        var options = new ImapServerOptions { Hostname = "mail.example.test" };
        options = configure?.Invoke(options) ?? options;
        var listener = new TcpListenerService(
            new ListenerOptions("imap", new IPEndPoint(IPAddress.Loopback, 0), false, 1000, 20000, TimeSpan.FromSeconds(10)),
            new ImapConnectionHandler(options, services), certificates, [], NullLogger.Instance);
        listener.Start();
        await directory.AddDomainAsync(Domain, CancellationToken.None);
        var delivery = new DeliveryService(store, blobs, events, NullLogger<DeliveryService>.Instance);
        return new ImapTestServer(dir, db, services, listener, delivery, accounts, observer);
    }

    /// <summary>A new user and a raw client logged in as them, the greeting and login read.</summary>
    public async Task<RawImapClient> LoggedInAsync(string localPart)
    {
        await AddUserAsync(localPart);
        var client = await RawImapClient.ConnectAsync(EndPoint);
        await client.ReadLineAsync();
        await client.CommandAsync("l", $"LOGIN {localPart}@example.test secret");
        return client;
    }

    public Task<Account> AddUserAsync(string localPart, long quota = 0) =>
        Accounts.CreateAsync(new EmailAddress(localPart, Domain), Password, quota, false, CancellationToken.None);

    /// <summary>Delivers raw message bytes to an account's INBOX the way SMTP does.</summary>
    public async Task DeliverAsync(Account account, byte[] message, DateTimeOffset? receivedAt = null)
    {
        BlobId blob;
        await using (var writer = Services.Blobs.CreateWriter())
        {
            await writer.WriteAsync(message, CancellationToken.None);
            blob = await writer.CommitAsync(CancellationToken.None);
        }
        var envelope = new Envelope("sender@remote.test", [new EnvelopeRecipient(account.Address, DsnNotify.Default, null)], null, DsnReturn.Default, BodyType.EightBitMime, false, null, "127.0.0.1", "client.test");
        await Delivery.DeliverAsync(new DeliveryRequest("TEST", blob, message.Length, envelope, [account.Id], [], receivedAt ?? DateTimeOffset.UtcNow), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _db.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Remembers every login attempt, as the auto-ban would see them.</summary>
public sealed class RecordingObserver : IAuthAttemptObserver
{
    private readonly List<AuthAttempt> _attempts = [];

    public IReadOnlyList<AuthAttempt> All
    {
        get
        {
            lock (_attempts) return _attempts.ToList();
        }
    }

    public void Record(AuthAttempt attempt)
    {
        lock (_attempts) _attempts.Add(attempt);
    }
}
