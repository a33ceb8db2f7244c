using Microsoft.Data.Sqlite;
using Vigil.Core.Model;

namespace Vigil.Storage.Sqlite;

/// <summary>The UID lists of this process's big mailboxes, so that a SELECT of 100,000 messages
/// does not read 100,000 index entries each time (issue 7). An entry is only ever used after the
/// caller has read the mailbox row, scoped by account, in the same read transaction, and only while
/// that row still says what it said when the list was read: same account, UIDVALIDITY, UIDNEXT,
/// HIGHESTMODSEQ and message count. Every insert moves UIDNEXT, every removal moves HIGHESTMODSEQ
/// and the count (kept by triggers), so a stale list is never returned; another process writing
/// the same database is caught the same way. Mailbox ids are never reused (AUTOINCREMENT).
/// When only new messages arrived (the count grew by exactly the number of UIDs at or above the old
/// UIDNEXT) the cached list is extended instead of re-read.</summary>
internal sealed class MailboxUidCache
{
    /// <summary>Smaller mailboxes are read each time: cheap, and not worth the memory.</summary>
    public int MinMessages { get; set; } = 2048;

    /// <summary>At most this many UIDs (4 bytes each) across all entries; the least recently used go first.</summary>
    public int MaxUids { get; set; } = 4_000_000;

    private sealed record Entry(long AccountId, uint UidValidity, uint UidNext, long ModSeq, int Count, uint[] Uids)
    {
        public long LastUsed { get; set; }
    }

    private readonly Dictionary<long, Entry> _entries = [];
    private readonly Lock _lock = new();
    private long _clock;
    private long _cachedUids;

    /// <summary>The mailbox's UIDs, ascending. <paramref name="mailbox"/> and <paramref name="count"/>
    /// must come from <paramref name="tx"/>. The array is shared: callers must not change it.</summary>
    public uint[] Get(SqliteConnection c, SqliteTransaction tx, Mailbox mailbox, int count)
    {
        if (count < MinMessages) return Read(c, tx, mailbox, 1, count);
        Entry? entry;
        lock (_lock)
        {
            _entries.TryGetValue(mailbox.Id, out entry);
            if (entry is not null && Matches(entry, mailbox, count))
            {
                entry.LastUsed = ++_clock;
                return entry.Uids;
            }
        }
        uint[] uids;
        if (entry is not null && entry.AccountId == mailbox.AccountId && entry.UidValidity == mailbox.UidValidity
            && entry.UidNext <= mailbox.UidNext && entry.Count <= count)
        {
            var added = Read(c, tx, mailbox, entry.UidNext, count - entry.Count);
            // Anything else (a removal hidden by an arrival) means the old part changed: read it all.
            uids = entry.Count + added.Length == count ? [.. entry.Uids, .. added] : Read(c, tx, mailbox, 1, count);
        }
        else
        {
            uids = Read(c, tx, mailbox, 1, count);
        }
        Put(new Entry(mailbox.AccountId, mailbox.UidValidity, mailbox.UidNext, mailbox.HighestModSeq, uids.Length, uids), mailbox.Id, count);
        return uids;
    }

    private static bool Matches(Entry e, Mailbox m, int count) =>
        e.AccountId == m.AccountId && e.UidValidity == m.UidValidity && e.UidNext == m.UidNext && e.ModSeq == m.HighestModSeq && e.Count == count;

    private void Put(Entry entry, long mailboxId, int count)
    {
        // A list that disagrees with the counter is not kept (it would never match anyway).
        if (entry.Uids.Length != count || entry.Uids.Length > MaxUids) return;
        lock (_lock)
        {
            if (_entries.Remove(mailboxId, out var old)) _cachedUids -= old.Uids.Length;
            while (_cachedUids + entry.Uids.Length > MaxUids && _entries.Count > 0)
            {
                var oldest = _entries.MinBy(e => e.Value.LastUsed);
                _entries.Remove(oldest.Key);
                _cachedUids -= oldest.Value.Uids.Length;
            }
            entry.LastUsed = ++_clock;
            _entries[mailboxId] = entry;
            _cachedUids += entry.Uids.Length;
        }
    }

    /// <summary>UIDs from <paramref name="from"/> up, straight from the messages_account index.</summary>
    private static uint[] Read(SqliteConnection c, SqliteTransaction tx, Mailbox mailbox, uint from, int expected)
    {
        using var cmd = c.Command("SELECT uid FROM messages WHERE account_id = $a AND mailbox_id = $m AND uid >= $u ORDER BY uid", tx,
            ("$a", mailbox.AccountId), ("$m", mailbox.Id), ("$u", (long)from));
        using var r = cmd.ExecuteReader();
        var uids = new uint[Math.Max(expected, 0)];
        var n = 0;
        while (r.Read())
        {
            if (n == uids.Length) Array.Resize(ref uids, Math.Max(16, n * 2));
            uids[n++] = (uint)r.GetInt64(0);
        }
        if (n != uids.Length) Array.Resize(ref uids, n);
        return uids;
    }
}
