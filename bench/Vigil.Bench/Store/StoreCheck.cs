using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Model;
using Vigil.Host.Config;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Bench.Store;

/// <summary>Compares what clients were told (the ids acknowledged with 250) with what one
/// account's INBOX holds: every acknowledged id exactly once, every stored blob whole (its SHA-256
/// matches its name and it ends with the id's END-OF line). Reads through the store's own API; the
/// server may be running (WAL readers do not block it).</summary>
public static class StoreCheck
{
    public static async Task<StoreCheckResult> RunAsync(string dataDir, string localPart, string domain, IReadOnlyCollection<string> acked, CancellationToken ct)
    {
        var data = new DataDirectory(dataDir);
        await using var db = SqliteDatabase.Open(data.Database);
        var directory = new SqliteDirectoryStore(db);
        var messages = new SqliteMessageStore(db);
        var blobs = new InlineBlobStore(new FileBlobStore(data.Blobs), db);
        var account = await directory.GetAccountAsync(localPart, domain, ct) ?? throw new InvalidOperationException($"no account {localPart}@{domain}");
        var inbox = await messages.GetMailboxAsync(account.Id, Mailbox.Inbox, ct) ?? throw new InvalidOperationException("no INBOX");
        var stored = await messages.ListMessagesAsync(account.Id, inbox.Id, ct);

        var counts = stored.GroupBy(m => m.Subject ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = acked.Where(id => !counts.ContainsKey(id)).ToList();
        var duplicated = counts.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        var corrupt = new List<string>();
        foreach (var m in stored)
        {
            if (!IsWhole(blobs, m)) corrupt.Add(m.Subject ?? $"uid {m.Uid}");
        }
        var ackedSet = acked.ToHashSet(StringComparer.Ordinal);
        var unacked = counts.Keys.Count(k => !ackedSet.Contains(k));
        return new StoreCheckResult(stored.Count, lost, duplicated, corrupt, unacked);
    }

    private static bool IsWhole(InlineBlobStore blobs, StoredMessage m)
    {
        using var s = blobs.OpenRead(m.BlobId);
        if (s is null || s.Length != m.Size) return false;
        var bytes = new byte[m.Size];
        s.ReadExactly(bytes);
        if (BlobId.FromHash(SHA256.HashData(bytes)) != m.BlobId) return false;
        var tail = Encoding.ASCII.GetString(bytes, Math.Max(0, bytes.Length - 200), Math.Min(200, bytes.Length));
        return tail.EndsWith($"END-OF-{m.Subject}\r\n", StringComparison.Ordinal);
    }
}

/// <summary>The outcome of one comparison; <see cref="UnacknowledgedStored"/> are messages stored
/// whose 250 never reached the client (killed in between) — allowed, the sender retries.</summary>
public sealed record StoreCheckResult(int Stored, IReadOnlyList<string> Lost, IReadOnlyList<string> Duplicated, IReadOnlyList<string> Corrupt, int UnacknowledgedStored);
