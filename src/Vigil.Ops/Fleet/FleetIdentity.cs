using Vigil.Ops.Signing;
using Vigil.Security.Keys;

namespace Vigil.Ops.Fleet;

/// <summary>This instance as the fleet knows it: its Ed25519 instance key (whose key id is its
/// member id on a console, and its console id when it is one), config instance id and host name.</summary>
public sealed class FleetIdentity(InstanceKey key, string instanceId, string hostname, DateTimeOffset startedAt)
{
    public string Id { get; } = KeyId.Of(key.PublicKey);
    public byte[] PublicKey => key.PublicKey;
    public string InstanceId => instanceId;
    public string Hostname => hostname;
    public DateTimeOffset StartedAt => startedAt;

    public SignedEnvelope Sign<T>(string format, T payload) => Messages.FleetJson.Sign(format, payload, key.PublicKey, data => key.Sign(data));
}
