namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Dedicated threads for the blocking part of a blob commit (fsync of the file, rename,
/// fsync of the directory). On Linux there is no asynchronous fsync, and running it on the thread
/// pool holds pool threads hostage: on a 2-core machine the pool starts with 2 threads and adds
/// more slowly (bench/ saw 7-10 with 20 SMTP sessions), so socket work and deliveries queue behind
/// threads that are only waiting for the disk. Here every waiting commit has a thread of its own,
/// up to <see cref="Threads"/>, and concurrent fsyncs share the filesystem's journal commits.</summary>
internal static class DiskSyncThreads
{
    public const int Threads = 64;

    // A plain monitor: one waiting thread is woken per item and waits without spinning. (A Channel
    // with many blocked readers wakes all of them for every item, and BlockingCollection's
    // semaphore spins before it blocks: with 64 threads both showed up in strace as 75-170
    // sched_yield calls per message.)
    private static readonly Queue<Work> Items = new();
    private static readonly object Gate = new();
    private static int _started;

    public static Task<T> RunAsync<T>(Func<T> work)
    {
        EnsureStarted();
        var item = new Work<T>(work);
        lock (Gate)
        {
            Items.Enqueue(item);
            Monitor.Pulse(Gate);
        }
        return item.Completion.Task;
    }

    private static void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        for (var i = 0; i < Threads; i++)
        {
            new Thread(Loop, maxStackSize: 256 * 1024) { IsBackground = true, Name = "vigil-disk-sync-" + i }.Start();
        }
    }

    private static void Loop()
    {
        // Blocking is the point: these threads exist only to wait for the disk.
        while (true)
        {
            Work item;
            lock (Gate)
            {
                while (Items.Count == 0) Monitor.Wait(Gate);
                item = Items.Dequeue();
            }
            item.Run();
        }
    }

    private abstract class Work
    {
        public abstract void Run();
    }

    private sealed class Work<T>(Func<T> work) : Work
    {
        // The awaiting commit continues on this thread (no hop back to the pool) until its next await.
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.None);

        public override void Run()
        {
            try
            {
                Completion.TrySetResult(work());
            }
#pragma warning disable CA1031 // handed to the awaiting caller, which decides
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Completion.TrySetException(ex);
            }
        }
    }
}
