using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Group commit: write operations queue up while a commit is in flight and the next
/// transaction takes all of them, so N concurrent deliveries cost one WAL fsync instead of N.
/// Each operation runs inside its own savepoint, so one failure does not undo its neighbours.
/// An operation may be marked not durable (flag changes, expunges, \Recent marks): a batch of
/// only such operations commits without the fsync (synchronous=NORMAL in WAL mode), and becomes
/// durable with the next fsync'd commit. New messages are always durable.</summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly SqliteConnection _connection;
    // Guarded by _gate. The writer thread waits on the monitor, which blocks without spinning.
    private readonly Queue<IWriteOp> _pending = new();
    private readonly object _gate = new();
    private bool _closed;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _fullSync = true;

    private readonly Blobs.PendingInlineBlobs _inlineBlobs;

    public SqliteWriter(SqliteConnection connection, Blobs.PendingInlineBlobs inlineBlobs)
    {
        _connection = connection;
        _inlineBlobs = inlineBlobs;
        // A thread of its own, not the thread pool: each batch blocks in SQLite and in the WAL
        // fsync for milliseconds, which on a 2-core machine would hold one of the pool's few threads.
        new Thread(Run) { IsBackground = true, Name = "vigil-sqlite-writer" }.Start();
    }

    /// <summary>Number of commits so far; tests use it to show that writes were batched.</summary>
    public long Commits;

    /// <summary>Of <see cref="Commits"/>, those made without the fsync (only non-durable operations).</summary>
    public long UnsyncedCommits;

    public Task<T> ExecuteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct, bool durable = true)
    {
        ct.ThrowIfCancellationRequested();
        var op = new WriteOp<T>(work, durable);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _pending.Enqueue(op);
            Monitor.Pulse(_gate);
        }
        return op.Completion.Task;
    }

    private void Run()
    {
        try
        {
            var batch = new List<IWriteOp>(MaxBatch);
            while (true)
            {
                batch.Clear();
                lock (_gate)
                {
                    while (_pending.Count == 0 && !_closed) Monitor.Wait(_gate);
                    if (_pending.Count == 0) return; // closed and drained
                    while (batch.Count < MaxBatch && _pending.TryDequeue(out var op)) batch.Add(op);
                }
                RunBatch(batch);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void RunBatch(List<IWriteOp> batch)
    {
        var done = new List<IWriteOp>(batch.Count);
        List<string> inlineBlobs;
        try
        {
            SetSynchronous(batch.Exists(op => op.Durable));
            using var tx = _connection.BeginTransaction(deferred: false);
            // First, so any row of this batch that names a new small body commits with it.
            inlineBlobs = _inlineBlobs.WriteAll(_connection, tx);
            for (var i = 0; i < batch.Count; i++)
            {
                var name = "op" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                tx.Save(name);
                try
                {
                    batch[i].Run(_connection, tx);
                    tx.Release(name);
                    done.Add(batch[i]);
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or ArgumentException or KeyNotFoundException)
                {
                    tx.Rollback(name);
                    tx.Release(name);
                    batch[i].Fail(ex);
                }
            }
            tx.Commit();
            Interlocked.Increment(ref Commits);
            if (!_fullSync) Interlocked.Increment(ref UnsyncedCommits);
        }
        catch (Exception ex)
        {
            // Ops that already failed keep their own error (TrySetException is a no-op for them).
            foreach (var op in batch) op.Fail(ex);
            return;
        }
        _inlineBlobs.Forget(inlineBlobs);
        foreach (var op in done) op.Complete();
    }

    /// <summary>FULL fsyncs the WAL at commit; NORMAL leaves it to the next FULL commit or checkpoint.</summary>
    private void SetSynchronous(bool full)
    {
        if (full == _fullSync) return;
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
        cmd.ExecuteNonQuery();
        _fullSync = full;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
        await _stopped.Task;
        await _connection.DisposeAsync();
    }

    private interface IWriteOp
    {
        bool Durable { get; }
        void Run(SqliteConnection c, SqliteTransaction tx);
        void Complete();
        void Fail(Exception ex);
    }

    private sealed class WriteOp<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool durable) : IWriteOp
    {
        public bool Durable => durable;
        private T _result = default!;
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Run(SqliteConnection c, SqliteTransaction tx) => _result = work(c, tx);
        public void Complete() => Completion.TrySetResult(_result);
        public void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}
