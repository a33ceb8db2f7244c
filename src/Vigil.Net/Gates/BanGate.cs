using System.Net;
using Vigil.Security.Bans;

namespace Vigil.Net.Gates;

/// <summary>Refuses connections from banned networks at accept, before any protocol work.</summary>
public sealed class BanGate(BanList bans) : IConnectionGate
{
    public const string Reason = "Access from your address is temporarily blocked";

    public string? Check(IPAddress remote, string protocol) => bans.FindActive(remote) is null ? null : Reason;
}
