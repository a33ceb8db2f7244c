namespace Vigil.Ops.Backup.Progress;

/// <summary>Where a long backup operation stands: the phase, items and bytes done of the total.</summary>
public sealed record BackupProgress(string Phase, long Done, long Total, long Bytes, long TotalBytes);

/// <summary>Counts progress from parallel workers and forwards it to an <see cref="IProgress{T}"/>
/// (the command line draws a bar or prints lines; the server ignores it).</summary>
public sealed class ProgressCounter(IProgress<BackupProgress>? sink, string phase, long total, long totalBytes)
{
    private long _done;
    private long _bytes;

    public long Done => Interlocked.Read(ref _done);
    public long Bytes => Interlocked.Read(ref _bytes);

    public void Start() => sink?.Report(new BackupProgress(phase, 0, total, 0, totalBytes));

    public void Add(long items, long bytes)
    {
        var done = Interlocked.Add(ref _done, items);
        var b = Interlocked.Add(ref _bytes, bytes);
        sink?.Report(new BackupProgress(phase, done, total, b, totalBytes));
    }
}
