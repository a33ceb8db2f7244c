namespace Vigil.Ops.Tests.Backup;

/// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SyncProgress(Action<Vigil.Ops.Backup.Progress.BackupProgress> action) : IProgress<Vigil.Ops.Backup.Progress.BackupProgress>
{
    public void Report(Vigil.Ops.Backup.Progress.BackupProgress value) => action(value);
}
