using System.Text.Json;

namespace Vigil.Ops.Lockdown;

/// <summary>The persisted lockdown, <c>DATA/lockdown.json</c>: present while locked down, removed
/// when lifted. A file (not a socket) so the CLI can engage it while the server runs or is down, and
/// the server keeps it across restarts. An unreadable file counts as locked down: failing closed
/// is the safe side of an incident.</summary>
public sealed class LockdownStore(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = path;

    public LockdownState? Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            var state = JsonSerializer.Deserialize<LockdownState>(text, Json);
            if (state is { Reason: not null, Allow: not null }) return state;
        }
        catch (JsonException)
        {
            // fall through: fail closed
        }
        return new LockdownState($"{Path} is unreadable", [], File.GetLastWriteTimeUtc(Path), "unknown", "file");
    }

    /// <summary>Writes the state atomically (temporary file, fsync, rename).</summary>
    public void Write(LockdownState state)
    {
        var tmp = Path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(fs, state, Json);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, Path, overwrite: true);
    }

    public bool Clear()
    {
        if (!File.Exists(Path)) return false;
        File.Delete(Path);
        return true;
    }

    /// <summary>A cheap fingerprint (existence, size, time) so pollers read the file only when it changed.</summary>
    public (bool Exists, long Length, DateTime Written) Stamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (true, info.Length, info.LastWriteTimeUtc) : (false, 0, default);
    }
}
