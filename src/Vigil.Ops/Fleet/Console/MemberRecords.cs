using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Console;

/// <summary>An enrolled member as pinned by the console at enrollment.</summary>
public sealed record MemberRecord(string MemberId, string PublicKey, string InstanceId, string Hostname, DateTimeOffset EnrolledAt, string EnrolledFrom)
{
    public byte[] PublicKeyBytes => Convert.FromBase64String(PublicKey);
}

/// <summary>The last verified heartbeat of a member, with when and from where it arrived, and, once
/// its audit log stopped continuing from what the console saw before (<see cref="AuditContinuity"/>),
/// what was wrong: that stays until an admin accepts it (<c>vigil fleet accept-audit</c>).</summary>
public sealed record StoredHeartbeat(DateTimeOffset ReceivedAt, string RemoteAddress, Heartbeat Heartbeat, string? AuditProblem = null);
