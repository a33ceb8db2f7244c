namespace Vigil.Storage.Sqlite;

/// <summary>Makes committed WAL frames durable off the writer thread. The writer commits with
/// synchronous=NORMAL (frames written, not yet flushed) and hands the durable operations of the
/// batch here; they complete only after an fsync of the WAL that began after their commit. The
/// writer meanwhile starts its next transaction, so flag changes and other accounts' deliveries no
/// longer wait for this batch's flush, and every batch that committed during one flush shares the
/// next. (Measured before: at 100 IMAP clients a STORE waited 30-50 ms behind other sessions'
/// APPEND flushes; with 20 SMTP sessions half of each writer batch was its fsync.)</summary>
internal sealed class WalFlusher
{
    private readonly string _walPath;
    private readonly Action<string> _fsync;
    private readonly object _gate = new();
    private List<(Action Done, Action<Exception> Failed)> _waiting = [];
    private bool _closed;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="walPath">The database's <c>-wal</c> file.</param>
    /// <param name="fsync">Flushes that file; tests substitute one they can hold back.</param>
    public WalFlusher(string walPath, Action<string>? fsync = null)
    {
        _walPath = walPath;
        _fsync = fsync ?? FlushWal;
        // Its own thread: fsync blocks, and there is no asynchronous fsync on Linux.
        new Thread(Run) { IsBackground = true, Name = "vigil-wal-flush" }.Start();
    }

    /// <summary>Number of fsyncs so far.</summary>
    public long Flushes;

    /// <summary>Runs <paramref name="done"/> after the next flush of the WAL, or <paramref name="failed"/> if it fails.</summary>
    public void AfterNextFlush(Action done, Action<Exception> failed)
    {
        lock (_gate)
        {
            _waiting.Add((done, failed));
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                List<(Action Done, Action<Exception> Failed)> batch;
                lock (_gate)
                {
                    while (_waiting.Count == 0 && !_closed) Monitor.Wait(_gate);
                    if (_waiting.Count == 0) return; // closed and drained
                    batch = _waiting;
                    _waiting = [];
                }
                Exception? error = null;
                try
                {
                    _fsync(_walPath);
                    Interlocked.Increment(ref Flushes);
                }
#pragma warning disable CA1031 // handed to every waiting operation, whose caller answers with a temporary error
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    error = ex;
                }
                foreach (var (done, failed) in batch)
                {
                    if (error is null) done();
                    else failed(error);
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>fsync of the WAL by path. No WAL file means SQLite removed it when its last
    /// connection closed, which it does only after checkpointing every frame into the database
    /// file and syncing that: the data is durable already.</summary>
    private static void FlushWal(string path)
    {
        if (!File.Exists(path)) return;
        Vigil.Core.IO.FileSystemSync.Fsync(path);
    }

    /// <summary>Flushes what is still waiting, then stops.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
        return _stopped.Task;
    }
}
