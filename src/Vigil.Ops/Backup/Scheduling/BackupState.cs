using System.Text.Json;
using Vigil.Ops.Backup.Format;

namespace Vigil.Ops.Backup.Scheduling;

/// <summary>What this instance knows of its own backups (<c>DATA/backup/state.json</c>), written
/// by the server's scheduler and by the CLI alike, read by <c>vigil status</c>, metrics and the
/// fleet heartbeat.</summary>
public sealed record BackupState
{
    public string? Target { get; init; }
    public DateTimeOffset? LastAttempt { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public string? LastPoint { get; init; }
    public long? LastNewBytes { get; init; }
    public long? LastDurationMs { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastVerify { get; init; }
    public bool? LastVerifyOk { get; init; }
    public string? LastVerifyProblem { get; init; }
    public DateTimeOffset? LastPrune { get; init; }
}

/// <summary>Reads and updates <see cref="BackupState"/>; an update is read-modify-write under a
/// lock file, so the server and a CLI run do not lose each other's results.</summary>
public sealed class BackupStateStore(string path)
{
    public string Path { get; } = path;

    public BackupState Read()
    {
        try
        {
            return File.Exists(Path) ? BackupJson.Deserialize<BackupState>(File.ReadAllBytes(Path), Path) : new BackupState();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or JsonException)
        {
            return new BackupState();
        }
    }

    public async Task UpdateAsync(Func<BackupState, BackupState> change, CancellationToken ct)
    {
        PrivateDirectory.Create(System.IO.Path.GetDirectoryName(Path)!);
        await using var held = await LockAsync(ct);
        var next = change(Read());
        var tmp = Path + ".tmp";
        await File.WriteAllBytesAsync(tmp, BackupJson.Serialize(next), ct);
        File.Move(tmp, Path, overwrite: true);
    }

    private async Task<FileStream> LockAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 200)
            {
                await Task.Delay(25, ct);
            }
        }
    }
}
