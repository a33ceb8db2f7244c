using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite;

/// <summary>Group commit: write operations queue up while a commit is in flight and the next
/// transaction takes all of them, so N concurrent deliveries cost one WAL fsync instead of N.
/// Each operation runs inside its own savepoint, so one failure does not undo its neighbours.
/// Commits use synchronous=NORMAL (WAL written, not flushed); the <see cref="WalFlusher"/> then
/// flushes the WAL on its own thread and only after that completes the batch's durable operations
/// (new messages always are). An operation marked not durable (flag changes, expunges, \Recent
/// marks) completes at its commit and becomes durable with the next flush.</summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly SqliteConnection _connection;
    // Guarded by _gate. The writer thread waits on the monitor, which blocks without spinning.
    private readonly Queue<IWriteOp> _pending = new();
    private readonly object _gate = new();
    private bool _closed;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Blobs.PendingInlineBlobs _inlineBlobs;
    private readonly WalFlusher _flusher;

    public SqliteWriter(SqliteConnection connection, Blobs.PendingInlineBlobs inlineBlobs, WalFlusher flusher)
    {
        _connection = connection;
        _inlineBlobs = inlineBlobs;
        _flusher = flusher;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA synchronous=NORMAL";
            cmd.ExecuteNonQuery();
        }
        // A thread of its own, not the thread pool: each batch blocks in SQLite and in the WAL
        // fsync for milliseconds, which on a 2-core machine would hold one of the pool's few threads.
        new Thread(Run) { IsBackground = true, Name = "vigil-sqlite-writer" }.Start();
    }

    /// <summary>Number of commits so far; tests use it to show that writes were batched.</summary>
    public long Commits;

    /// <summary>Of <see cref="Commits"/>, those with no durable operation (no flush waited for).</summary>
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
            if (!batch.Exists(op => op.Durable)) Interlocked.Increment(ref UnsyncedCommits);
        }
        catch (Exception ex)
        {
            // Ops that already failed keep their own error (TrySetException is a no-op for them).
            foreach (var op in batch) op.Fail(ex);
            return;
        }
        _inlineBlobs.Forget(inlineBlobs);
        var durable = new List<IWriteOp>(done.Count);
        foreach (var op in done)
        {
            if (op.Durable) durable.Add(op);
            else op.Complete();
        }
        if (durable.Count > 0)
        {
            _flusher.AfterNextFlush(
                () => { foreach (var op in durable) op.Complete(); },
                ex => { foreach (var op in durable) op.Fail(ex); });
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
        await _stopped.Task;
        await _flusher.StopAsync();
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
