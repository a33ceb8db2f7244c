using System.Text.Json;
using Vigil.Ops.Files;

namespace Vigil.Ops.Fleet.Member;

/// <summary>The action ids (nonces) this member has already accepted, kept on disk until they are
/// too old to be fresh anyway, so a replay is refused even across a restart.</summary>
public sealed class SeenActions(FleetPaths paths, TimeProvider time)
{
    private const int MaxEntries = 10_000;

    /// <summary>Records the id; false if it was seen before (a replay) or the list is full.</summary>
    public async Task<bool> TryRecordAsync(string actionId, DateTimeOffset keepUntil, CancellationToken ct)
    {
        using (await AtomicFile.LockAsync(paths.Lock, ct))
        {
            var now = time.GetUtcNow();
            var seen = Load().Where(kv => kv.Value > now).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            if (seen.ContainsKey(actionId) || seen.Count >= MaxEntries) return false;
            seen[actionId] = keepUntil;
            AtomicFile.WriteAllBytes(paths.SeenActions, JsonSerializer.SerializeToUtf8Bytes(seen));
            return true;
        }
    }

    private Dictionary<string, DateTimeOffset> Load()
    {
        try
        {
            return File.Exists(paths.SeenActions)
                ? JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(File.ReadAllBytes(paths.SeenActions)) ?? []
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
