using System.Text.Json;

namespace Vigil.Ops.Alerts;

/// <summary>The newest alerts raised on this instance, for the fleet heartbeat: a member's alerts
/// reach its console, which raises them again on its own sinks (issue 10, item 3), so one webhook
/// or mailbox at the console hears of a dropped file on any member.
/// With a file (<c>run/recent-alerts.json</c>) they outlive a restart, so an alert raised just
/// before the process died (or was killed) still reaches the console, and alerts raised by
/// <c>vigil</c> commands, which are processes of their own, travel with the server's next
/// heartbeat. Writers take an exclusive lock on the file (flock) and merge.</summary>
public sealed class RecentAlerts(string? file = null) : IAlertSink
{
    /// <summary>How many a heartbeat carries; the console forwards each once.</summary>
    public const int Keep = 20;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);
    private readonly Queue<Alert> _alerts = new();
    private readonly Lock _lock = new();

    public async Task SendAsync(Alert alert, CancellationToken ct)
    {
        if (file is null)
        {
            lock (_lock)
            {
                _alerts.Enqueue(alert);
                while (_alerts.Count > Keep) _alerts.Dequeue();
            }
            return;
        }
        await using var stream = await OpenLockedAsync(FileAccess.ReadWrite, ct);
        var list = Read(stream);
        list.Add(alert);
        stream.SetLength(0);
        await JsonSerializer.SerializeAsync(stream, list.TakeLast(Keep).ToList(), cancellationToken: ct);
        await stream.FlushAsync(ct);
    }

    public async Task<IReadOnlyList<Alert>> CurrentAsync(CancellationToken ct)
    {
        if (file is null)
        {
            lock (_lock) return _alerts.ToArray();
        }
        if (!File.Exists(file)) return [];
        await using var stream = await OpenLockedAsync(FileAccess.Read, ct);
        return Read(stream).TakeLast(Keep).ToList();
    }

    /// <summary>Unreadable content (a write cut short) counts as no alerts; the next one rewrites it.</summary>
    private static List<Alert> Read(FileStream stream)
    {
        if (stream.Length == 0) return [];
        try
        {
            return JsonSerializer.Deserialize<List<Alert>>(stream) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>FileShare.None is an exclusive flock on Linux: the server and a command wait for each other.</summary>
    private async ValueTask<FileStream> OpenLockedAsync(FileAccess access, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(file!, access == FileAccess.Read ? FileMode.Open : FileMode.OpenOrCreate, access, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(file))
            {
                await Task.Delay(20, ct);
            }
        }
    }
}
