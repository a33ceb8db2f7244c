using System.Globalization;
using Vigil.Ops.Backup;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Host.Cli;

/// <summary>The <c>deleted</c> line of <c>vigil status</c>: bodies of deleted mail waiting for
/// their grace period, and what the server has deleted so far (docs/storage.md, "Deleted mail").
/// Informational: a backlog is normal while a backup holds the sweeper off.</summary>
public static class DeletedMailStatusSection
{
    public static Task<bool> PrintAsync(CliContext ctx, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var s = BlobReleaseStatus.Read(ctx.Get<SqliteDatabase>());
        var storage = ctx.Config.Storage;
        var waiting = s.Pending == 0
            ? "no bodies of deleted mail waiting"
            : string.Create(CultureInfo.InvariantCulture, $"{s.Pending:N0} bodies of deleted mail waiting (oldest released {BackupStatus.Age(now - s.OldestRelease!.Value)} ago)");
        var policy = storage.SweepIntervalSeconds <= 0
            ? "deletion OFF (storage.sweepIntervalSeconds is 0)"
            : $"deleted {BackupStatus.Age(TimeSpan.FromSeconds(storage.DeletedBodyGraceSeconds))} after release";
        var done = string.Create(CultureInfo.InvariantCulture, $"{s.Deleted:N0} deleted so far ({UserCommands.FormatSize(s.DeletedBytes)})");
        var last = s.LastSweep is { } t ? $", last sweep {BackupStatus.Age(now - t)} ago" : "";
        Console.WriteLine($"deleted    {waiting}; {policy}; {done}{last}");
        return Task.FromResult(true);
    }
}
