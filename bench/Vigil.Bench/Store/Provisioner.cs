using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Host.Config;
using Vigil.Security.Passwords;
using Vigil.Storage.Sqlite;

namespace Vigil.Bench.Store;

/// <summary>Prepares an initialised Vigil data directory for a run (server stopped): the bench
/// domain, N accounts with one password, and the limits the run needs. Every account gets the
/// same Argon2id hash string (one hash, not N, to keep set-up fast); the same strings go to
/// Dovecot's passwd-file, so both servers verify the same hash at the same cost.</summary>
public static class Provisioner
{
    public static async Task RunAsync(string dataDir, string domain, IReadOnlyList<string> localParts, string password, Argon2Cost cost,
        int maxPerIp, int maxConnections, string? dovecotPasswd, CancellationToken ct)
    {
        var data = new DataDirectory(dataDir);
        var config = VigilConfig.Load(data);
        config.Smtp.MaxConnectionsPerIp = maxPerIp;
        config.Smtp.MaxConnections = maxConnections;
        config.Smtp.MaxRecipients = Math.Max(config.Smtp.MaxRecipients, 1000);
        config.Imap.MaxConnectionsPerIp = maxPerIp;
        config.Imap.MaxConnections = maxConnections;
        // The load generator is one loopback address opening thousands of connections and
        // delivering to thousands of recipients: the per-network rate limits (docs/security.md) are
        // raised for it, as Postfix exempts $mynetworks from its (by default disabled) anvil limits.
        config.RateLimits = config.RateLimits with { NewConnectionsPerMinute = 10_000_000, RecipientsPerHourPerIp = 10_000_000 };
        config.Security.Argon2MemoryKiB = cost.MemoryKiB;
        config.Security.Argon2Iterations = cost.Iterations;
        config.Save(data);

        var hash = new Argon2idPasswordHasher(cost).Hash(password);
        await using var db = SqliteDatabase.Open(data.Database);
        var directory = new SqliteDirectoryStore(db);
        if (await directory.GetDomainAsync(domain, ct) is null) await directory.AddDomainAsync(domain, ct);
        var created = 0;
        await Parallel.ForEachAsync(localParts, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (user, token) =>
        {
            if (await directory.GetAccountAsync(user, domain, token) is not null) return;
            await directory.AddAccountAsync(new NewAccount(user, domain, hash, 0, false, DefaultMailbox.Standard), token);
            Interlocked.Increment(ref created);
        });
        if (dovecotPasswd is not null)
        {
            await File.WriteAllLinesAsync(dovecotPasswd, localParts.Select(u => $"{u}@{domain}:{{ARGON2ID}}{hash}"), ct);
        }
        Console.Error.WriteLine($"provisioned {created} new account(s) in {domain}, argon2id m={cost.MemoryKiB} t={cost.Iterations}");
    }
}
