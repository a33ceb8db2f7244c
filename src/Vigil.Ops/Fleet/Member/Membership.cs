using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Ops.Files;

namespace Vigil.Ops.Fleet.Member;

/// <summary>A member's pinned view of its console (<c>fleet/membership.json</c>), written at
/// enrollment: where to report, the console's key (the only key whose actions are accepted) and
/// the console's certificate fingerprint.</summary>
public sealed record Membership(
    string ConsoleUrl,
    string ConsoleId,
    string ConsolePublicKey,
    string ConsoleHostname,
    string TlsCertificateSha256,
    string MemberId,
    DateTimeOffset EnrolledAt)
{
    public byte[] ConsolePublicKeyBytes => Convert.FromBase64String(ConsolePublicKey);
}

public sealed partial class MembershipStore(FleetPaths paths)
{
    public Membership? Load()
    {
        try
        {
            return File.Exists(paths.Membership) ? JsonSerializer.Deserialize(File.ReadAllBytes(paths.Membership), MembershipContext.Default.Membership) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    internal void Save(Membership membership) =>
        AtomicFile.WriteAllBytes(paths.Membership, JsonSerializer.SerializeToUtf8Bytes(membership, MembershipContext.Default.Membership));

    public bool Remove()
    {
        if (!File.Exists(paths.Membership)) return false;
        File.Delete(paths.Membership);
        return true;
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(Membership))]
    internal sealed partial class MembershipContext : JsonSerializerContext;
}
