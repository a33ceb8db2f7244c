using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Audit;
using Vigil.Core.Delivery;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Messages;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Routing;
using Vigil.Core.Submission;
using Vigil.Protocols.Smtp.Outbound;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Net;
using Vigil.Net.Gates;
using Vigil.Ops;
using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Fleet.Member;
using Vigil.Web;
using Vigil.Protocols.Smtp.Server;
using Vigil.Ops.Backup;
using Vigil.Storage.Sqlite.Backup;
using Vigil.Ops.Audit;
using Vigil.Security;
using Vigil.Ops.Lockdown;
using Vigil.Security.Auth;
using Vigil.Security.Keys;
using Vigil.Security.Limits;
using Vigil.Security.Passwords;
using Vigil.Security.Tls;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Host.Hosting;

/// <summary>The composition root: which implementation serves each interface. The CLI and the
/// server share the store part; the server adds listeners and background services.</summary>
public static class VigilServices
{
    /// <summary>The mail core on the embedded store, used by every CLI command and by the server.</summary>
    public static IServiceCollection AddVigilCore(this IServiceCollection services, DataDirectory data, VigilConfig config)
    {
        services.AddSingleton(data);
        services.AddSingleton(config);
        services.AddSingleton(_ => SqliteDatabase.Open(data.Database));
        services.AddSingleton<IDirectoryStore, SqliteDirectoryStore>();
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<IStoreStatistics, SqliteStoreStatistics>();
        services.AddSingleton<ITextIndexStore, SqliteTextIndex>();
        services.AddSingleton<IQueueStore, SqliteQueueStore>();
        services.AddSingleton<IRouteStore, SqliteRouteStore>();
        services.AddSingleton<IDkimKeyStore, SqliteDkimKeyStore>();
        services.AddSingleton<ISendPolicyStore, SqliteSendPolicyStore>();
        services.AddVigilOutbound(config.Outbound.ToOptions(config.Hostname), config.Outbound.MessagesPerHour);
        services.AddSingleton(_ => new FileBlobStore(data.Blobs));
        services.AddSingleton(sp => new InlineBlobStore(sp.GetRequiredService<FileBlobStore>(), sp.GetRequiredService<SqliteDatabase>(),
            Math.Clamp(config.Storage.InlineBodyLimit, 0, 1024 * 1024)));
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<InlineBlobStore>());
        // Backups and mailbox restores, in the server or a CLI process, hold off the body sweeper.
        services.AddSingleton(sp => BlobSweepLock.For(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IBlobSweepGuard>(sp => sp.GetRequiredService<BlobSweepLock>());
        services.AddSingleton<IDatabaseBlobs, SqliteDatabaseBlobs>();
        services.AddSingleton<IStoreSnapshotter, SqliteSnapshotter>();
        services.AddSingleton<ISnapshotFiles>(SqliteSnapshotFiles.Instance);
        services.AddSingleton(_ => InstanceKey.Load(data.InstanceKeyFile));
        services.AddVigilAudit(data.Audit, config.Audit.CheckpointEvery, config.Audit.RotateMegabytes);
        services.AddVigilIncidentResponse(config.Alerts.ToOptions(config), data.LockdownFile, data.SessionEndRequests, data.RecentAlertsFile);
        services.AddSingleton<IPasswordHasher>(_ => new Argon2idPasswordHasher(new Argon2Cost(config.Security.Argon2MemoryKiB, config.Security.Argon2Iterations, 1)));
        services.AddSingleton<MailboxEvents>();
        services.AddSingleton<MailboxEventRelay>();
        services.AddVigilBackup(config.Backup.ResolvedAgainst(data.Root), data.BackupStateFile, sp => BackupDataFiles.Source(sp, data, config));
        services.AddSingleton<AccountService>();
        services.AddSingleton<AppPasswordService>();
        services.AddSingleton<RecipientResolver>();
        services.AddSingleton<IBanStore, SqliteBanStore>();
        services.AddVigilSecurity(config.AutoBan, config.Login, config.RateLimits);
        services.AddSingleton<LoginService>();
        services.AddVigilOps(OpsRegistration.Settings(data, config));
        services.AddSingleton<MailboxService>();
        services.AddSingleton<MessageService>();
        services.AddSingleton<TextIndexer>();
        services.AddSingleton<TextSearch>();
        services.AddSingleton(sp => new DeliveryService(
            sp.GetRequiredService<IMessageStore>(), sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<MailboxEvents>(),
            sp.GetRequiredService<ILogger<DeliveryService>>(), sp.GetService<IOutboundQueue>()));
        return services;
    }

    /// <summary>Listeners and everything only the running server needs.</summary>
    public static IServiceCollection AddVigilServer(this IServiceCollection services, DataDirectory data, VigilConfig config)
    {
        services.AddSingleton(sp =>
        {
            try
            {
                return new TlsCertificateProvider(Resolve(data, config.Tls.CertificateFile), Resolve(data, config.Tls.KeyFile), sp.GetRequiredService<TimeProvider>());
            }
            catch (InvalidCertificateException ex)
            {
                throw new UserErrorException(ex.Message);
            }
        });
        services.AddSingleton(sp => new SmtpServices(
            sp.GetRequiredService<DeliveryService>(), sp.GetRequiredService<RecipientResolver>(), sp.GetRequiredService<IDirectoryStore>(),
            sp.GetRequiredService<IBlobStore>(), sp.GetRequiredService<LoginService>(), sp.GetRequiredService<TlsCertificateProvider>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<RecipientRateLimiter>(), sp.GetRequiredService<SubmissionPolicy>(),
            sp.GetService<IInboundMessageCheck>(), sp.GetRequiredService<FileBlobStore>().TempDirectory));
        services.AddVigilOutboundDelivery();
        AddSmtpListener(services, "smtp", config.Ports.Smtp, implicitTls: false, SmtpMode.Mx, config);
        AddSmtpListener(services, "submission", config.Ports.Submission, implicitTls: false, SmtpMode.Submission, config);
        AddSmtpListener(services, "submissions", config.Ports.Submissions, implicitTls: true, SmtpMode.Submission, config);
        services.AddVigilPop3(config);
        services.AddVigilImap(config);
        services.AddVigilMailAuth(config.MailAuth, config.Hostname);
        services.AddSingleton<IConnectionGate, BanGate>();
        services.AddSingleton<IConnectionGate, ConnectionRateGate>();
        services.AddSingleton<SessionDirectory>();
        services.AddVigilLockdown(TimeSpan.FromMilliseconds(config.Integrity.ControlPollMilliseconds), data.SessionEndRequests);
        services.AddVigilIntegrity(data, config);
        // The HTTPS server starts before the mail listeners so that run/status.json lists it too.
        if (config.Ports.Http is { } http) services.AddVigilWeb(new WebOptions(new IPEndPoint(IPAddress.Parse(config.Bind), http), config.Fleet.Console, AdminClientCertificates(data, config)));
        services.AddHostedService<TlsReloadService>();
        services.AddVigilBackupSchedule();
        services.AddHostedService<MailboxEventRelayService>();
        services.AddHostedService(sp => new TextIndexingService(
            config.Indexing.Background
                ? new BackgroundTextIndexer(sp.GetRequiredService<TextIndexer>(), sp.GetRequiredService<ITextIndexStore>(),
                    new TextIndexingOptions { MaxDeferral = TimeSpan.FromSeconds(Math.Max(0, config.Indexing.MaxDeferSeconds)) },
                    sp.GetRequiredService<ILogger<BackgroundTextIndexer>>())
                : null,
            new TextIndexMetrics(sp.GetRequiredService<ITextIndexStore>())));
        AddBlobSweep(services, config.Storage);
        services.AddSingleton<ListenersHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<ListenersHostedService>());
        services.AddSingleton<IListenerInventory, HostListenerInventory>();
        services.AddVigilOpsServer(sp => FleetHttp.Fingerprint(sp.GetRequiredService<TlsCertificateProvider>().Certificate));
        return services;
    }

    /// <summary>Deleting the bodies of deleted mail (docs/storage.md, "Deleted mail"); the
    /// integrity watch reads the same <see cref="RecentBlobDeletions"/> so the sweeper's deletions
    /// are not taken for mass destruction.</summary>
    private static void AddBlobSweep(IServiceCollection services, StorageConfig storage)
    {
        services.AddSingleton<RecentBlobDeletions>();
        services.AddSingleton(sp => new BlobSweeper(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<InlineBlobStore>(),
            sp.GetRequiredService<RecentBlobDeletions>(), sp.GetRequiredService<BlobSweepLock>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new BlobSweepOptions(TimeSpan.FromSeconds(storage.SweepIntervalSeconds),
            TimeSpan.FromSeconds(Math.Max(0, storage.DeletedBodyGraceSeconds)), Math.Clamp(storage.SweepBatch, 1, 10_000)));
        services.AddSingleton<BlobSweepMetrics>();
        services.AddSingleton<BlobSweepService>();
        services.AddHostedService(sp => sp.GetRequiredService<BlobSweepService>());
    }

    private static void AddSmtpListener(IServiceCollection services, string name, int? port, bool implicitTls, SmtpMode mode, VigilConfig config)
    {
        var options = new SmtpServerOptions
        {
            Hostname = config.Hostname,
            Mode = mode,
            MaxMessageBytes = config.Smtp.MaxMessageBytes,
            MaxRecipients = config.Smtp.MaxRecipients,
            CommandTimeout = TimeSpan.FromSeconds(config.Smtp.CommandTimeoutSeconds),
            DataTimeout = TimeSpan.FromSeconds(config.Smtp.DataTimeoutSeconds),
            AllowPlaintextAuthOnLoopback = config.Smtp.AllowPlaintextAuthOnLoopback,
            MaxCommandsBeforeAuth = config.Smtp.MaxCommandsBeforeAuth,
            MaxMessagesPerConnection = config.Smtp.MaxMessagesPerConnection,
            MinDataBytesPerSecond = config.Smtp.MinDataBytesPerSecond,
            SlowTransferGrace = TimeSpan.FromSeconds(config.Smtp.SlowTransferGraceSeconds),
        };
        services.AddSingleton(new ListenerDefinition(name, port, implicitTls, sp => new SmtpConnectionHandler(options, sp.GetRequiredService<SmtpServices>())));
    }

    /// <summary>The client-certificate requirement of the HTTPS port, when the config names a CA.</summary>
    private static ClientCertificateValidator? AdminClientCertificates(DataDirectory data, VigilConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.Tls.AdminClientCaFile)) return null;
        // Fleet members call the console's HTTPS port without a client certificate (they sign
        // every request with their pinned key instead), so the two cannot share the port.
        if (config.Fleet.Console) throw new UserErrorException("tls.adminClientCaFile cannot be used on a fleet console: members do not present client certificates");
        try
        {
            return new ClientCertificateValidator(Resolve(data, config.Tls.AdminClientCaFile));
        }
        catch (InvalidCertificateException ex)
        {
            throw new UserErrorException(ex.Message);
        }
    }

    public static string Resolve(DataDirectory data, string path) => Path.IsPathRooted(path) ? path : Path.Combine(data.Root, path);
}
