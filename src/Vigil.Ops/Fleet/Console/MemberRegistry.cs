using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Ops.Files;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Console;

/// <summary>The console's members on disk: <c>fleet/members/MEMBERID/</c> with the pinned key
/// (member.json), the last heartbeat (heartbeat.json), queued actions (outbox/) and the action
/// results already recorded (results.json). Member ids are key ids computed by the console.</summary>
public sealed partial class MemberRegistry(FleetPaths paths)
{
    public IReadOnlyList<MemberRecord> List()
    {
        if (!Directory.Exists(paths.Members)) return [];
        return Directory.GetDirectories(paths.Members)
            .Select(Path.GetFileName)
            .Where(KeyId.IsWellFormed)
            .Select(id => Get(id!))
            .OfType<MemberRecord>()
            .OrderBy(m => m.Hostname, StringComparer.Ordinal).ThenBy(m => m.MemberId, StringComparer.Ordinal)
            .ToArray();
    }

    public MemberRecord? Get(string memberId) =>
        KeyId.IsWellFormed(memberId) ? Read(paths.MemberRecord(memberId), RegistryContext.Default.MemberRecord) : null;

    /// <summary>Finds a member by full id or by a unique prefix of at least 6 characters.</summary>
    public MemberRecord? Find(string idOrPrefix)
    {
        if (Get(idOrPrefix) is { } exact) return exact;
        if (idOrPrefix.Length < 6) return null;
        var matches = List().Where(m => m.MemberId.StartsWith(idOrPrefix, StringComparison.Ordinal) || m.Hostname == idOrPrefix).ToArray();
        return matches.Length == 1 ? matches[0] : null;
    }

    internal void Save(MemberRecord member) =>
        AtomicFile.WriteAllBytes(paths.MemberRecord(member.MemberId), JsonSerializer.SerializeToUtf8Bytes(member, RegistryContext.Default.MemberRecord));

    public bool Remove(string memberId)
    {
        if (Get(memberId) is null) return false;
        Directory.Delete(paths.Member(memberId), recursive: true);
        return true;
    }

    public StoredHeartbeat? LastHeartbeat(string memberId) => Read(paths.MemberHeartbeat(memberId), RegistryContext.Default.StoredHeartbeat);

    internal void SaveHeartbeat(string memberId, StoredHeartbeat heartbeat) =>
        AtomicFile.WriteAllBytes(paths.MemberHeartbeat(memberId), JsonSerializer.SerializeToUtf8Bytes(heartbeat, RegistryContext.Default.StoredHeartbeat));

    /// <summary>An admin accepts the member's audit log as it is now (after looking into an
    /// AUDIT-BROKEN flag, or after restoring the member from a backup): the flag goes, and the
    /// checkpoints last reported become what later heartbeats must continue from. False when
    /// nothing was flagged.</summary>
    public bool AcceptAudit(string memberId)
    {
        var last = LastHeartbeat(memberId);
        if (last?.AuditProblem is null) return false;
        SaveHeartbeat(memberId, last with { AuditProblem = null });
        return true;
    }

    internal HashSet<string> RecordedResults(string memberId) =>
        Read(paths.MemberResults(memberId), RegistryContext.Default.HashSetString) ?? [];

    internal void SaveRecordedResults(string memberId, HashSet<string> ids) =>
        AtomicFile.WriteAllBytes(paths.MemberResults(memberId), JsonSerializer.SerializeToUtf8Bytes(ids, RegistryContext.Default.HashSetString));

    private static T? Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllBytes(path), type) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(MemberRecord))]
    [JsonSerializable(typeof(StoredHeartbeat))]
    [JsonSerializable(typeof(HashSet<string>))]
    internal sealed partial class RegistryContext : JsonSerializerContext;
}
