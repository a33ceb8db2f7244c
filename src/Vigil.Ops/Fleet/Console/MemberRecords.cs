using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Console;

/// <summary>An enrolled member as pinned by the console at enrollment.</summary>
public sealed record MemberRecord(string MemberId, string PublicKey, string InstanceId, string Hostname, DateTimeOffset EnrolledAt, string EnrolledFrom)
{
    public byte[] PublicKeyBytes => Convert.FromBase64String(PublicKey);
}

/// <summary>The last verified heartbeat of a member, with when and from where it arrived.</summary>
public sealed record StoredHeartbeat(DateTimeOffset ReceivedAt, string RemoteAddress, Heartbeat Heartbeat);
