using System.Net;

namespace Vigil.Core.Model;

/// <summary>A network whose connections are refused at accept. Automatic bans expire and grow with
/// each repeat <see cref="Offenses"/>; an expired row is kept for a while as the offender's history.
/// <see cref="Expires"/> null means until an admin removes it.</summary>
public sealed record Ban(IPNetwork Network, string Reason, BanSource Source, DateTimeOffset Created, DateTimeOffset? Expires, int Offenses)
{
    public bool IsActive(DateTimeOffset now) => Expires is null || Expires > now;
}

/// <summary>Who placed a ban.</summary>
public enum BanSource
{
    /// <summary>The auto-ban, after too many failed logins.</summary>
    Automatic,
    /// <summary>An administrator (<c>vigil ban add</c>).</summary>
    Admin,
}

/// <summary>A network the admin listed as never banned and never rate limited. Nothing is exempt by
/// default, not even private ranges (DESIGN.md, lessons).</summary>
public sealed record BanExemption(IPNetwork Network, string Note, string AddedBy, DateTimeOffset Created);
