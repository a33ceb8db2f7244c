using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>The file lock behind <see cref="IBlobSweepGuard"/>: <c>vigil.db-sweep.lock</c> beside
/// the database. Holders (backups, mailbox restores, in this process or a CLI process) take a
/// shared lock, a sweep round an exclusive one without waiting, and skips the round when it cannot
/// have it. .NET takes these as flock(2) locks (FileShare.None: LOCK_EX, otherwise LOCK_SH, both
/// non-blocking), which hold between processes and between two opens in one process, and which the
/// kernel drops when a holder dies, so a killed backup never blocks the sweeper for good.</summary>
public sealed class BlobSweepLock(string path) : IBlobSweepGuard
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(50);

    public static BlobSweepLock For(SqliteDatabase db) => new(db.Path + "-sweep.lock");

    public string Path { get; } = path;

    public async Task<IDisposable> HoldAsync(CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                // Read access: a shared flock needs no write access (and .NET takes LOCK_SH only for it on every file system).
                return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                await Task.Delay(Retry, ct); // a sweep round is running; rounds are short
            }
        }
    }

    /// <summary>The exclusive lock of one sweep round, or null while anyone holds the guard.</summary>
    internal IDisposable? TryExclusive()
    {
        try
        {
            return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
