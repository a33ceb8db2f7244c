using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Core.Accounts;
using Vigil.Core.Events;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Net;
using Vigil.Protocols.Pop3.Session;
using Vigil.Security.Auth;
using Vigil.Security.Passwords;
using Vigil.Security.Tls;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Protocols.Pop3.Tests.Support;

/// <summary>A real POP3 listener on a loopback port over a real embedded store in a temporary
/// directory, with two accounts. Tests talk to it over TCP.</summary>
public sealed class Pop3TestServer : IAsyncDisposable
{
    public const string Domain = "example.test";
    public const string Password = "correct horse battery";

    private readonly string _dir;
    private readonly SqliteDatabase _db;
    private readonly TcpListenerService _listener;

    private Pop3TestServer(string dir, SqliteDatabase db, Pop3Services services, TcpListenerService listener, Account alice, Account bob, AccountService accounts, RecordingObserver attempts)
    {
        Attempts = attempts;
        _dir = dir;
        _db = db;
        Services = services;
        _listener = listener;
        Alice = alice;
        Bob = bob;
        Accounts = accounts;
    }

    public Pop3Services Services { get; }
    public Account Alice { get; }
    public Account Bob { get; }
    public AccountService Accounts { get; }
    public IDirectoryStore Directory => new SqliteDirectoryStore(_db);
    public RecordingObserver Attempts { get; }
    public IPEndPoint EndPoint => _listener.BoundEndPoint!;

    public static async Task<Pop3TestServer> StartAsync(Pop3ServerOptions? options = null, bool implicitTls = false)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("vigil-pop3-").FullName;
        var db = SqliteDatabase.Open(Path.Combine(dir, "vigil.db"));
        var directory = new SqliteDirectoryStore(db);
        var blobs = new FileBlobStore(Path.Combine(dir, "blobs"));
        var accounts = new AccountService(directory, new Argon2idPasswordHasher(new Argon2Cost(1024, 1, 1)));
        await directory.AddDomainAsync(Domain, CancellationToken.None);
        var alice = await accounts.CreateAsync(new Core.Addressing.EmailAddress("alice", Domain), Password, 0, false, CancellationToken.None);
        var bob = await accounts.CreateAsync(new Core.Addressing.EmailAddress("bob", Domain), Password, 0, false, CancellationToken.None);

        SelfSignedCertificate.Write("pop3.example.test", Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        var tls = new TlsCertificateProvider(Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        var observer = new RecordingObserver();
        var services = new Pop3Services(
            new LoginService(accounts, [observer], NullLogger<LoginService>.Instance),
            new SqliteMessageStore(db), blobs, new MailboxEvents(), new MaildropLocks(), new MessageSizes(blobs), tls, NullLoggerFactory.Instance);
        options ??= new Pop3ServerOptions { Hostname = "pop3.example.test" };
        var listener = new TcpListenerService(
            new ListenerOptions("pop3-test", new IPEndPoint(IPAddress.Loopback, 0), implicitTls, 50, 200, TimeSpan.FromSeconds(10)),
            new Pop3ConnectionHandler(options, services), tls, [], NullLogger.Instance);
        listener.Start();
        return new Pop3TestServer(dir, db, services, listener, alice, bob, accounts, observer);
    }

    /// <summary>Stores bytes as a new INBOX message of the account, as delivery would.</summary>
    public async Task<AppendedMessage> DeliverAsync(Account account, byte[] message)
    {
        await using var writer = Services.Blobs.CreateWriter();
        await writer.WriteAsync(message, CancellationToken.None);
        var blob = await writer.CommitAsync(CancellationToken.None);
        var appended = await Services.Messages.AppendAsync(
            [new NewMessage(account.Id, Mailbox.Inbox, blob, message.Length, DateTimeOffset.UtcNow, MessageFlags.None, [], null, null)], CancellationToken.None);
        Services.Events.Publish(new MailboxChange(account.Id, appended[0].MailboxId, MailboxChangeKind.Appended, [appended[0].Uid], appended[0].ModSeq));
        return appended[0];
    }

    public async Task<Mailbox> InboxAsync(Account account) =>
        (await Services.Messages.GetMailboxAsync(account.Id, Mailbox.Inbox, CancellationToken.None))!;

    public async Task<IReadOnlyList<StoredMessage>> InboxMessagesAsync(Account account) =>
        await Services.Messages.ListMessagesAsync(account.Id, (await InboxAsync(account)).Id, CancellationToken.None);

    public Task<LineClient> ConnectAsync(bool tls = false) => LineClient.ConnectAsync(EndPoint, tls);

    /// <summary>Stops the listener as a server shutdown would, keeping the store for inspection.</summary>
    public Task StopListenerAsync() => _listener.StopAsync(TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _db.DisposeAsync();
        try { System.IO.Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Keeps every login attempt so tests can see what the auto-ban would count.</summary>
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
