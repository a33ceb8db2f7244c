namespace Vigil.Core.Addressing;

/// <summary>Where mail for one envelope recipient goes.</summary>
public sealed record RecipientResolution(RecipientKind Kind, IReadOnlyList<long> AccountIds, IReadOnlyList<EmailAddress> RemoteTargets)
{
    public static readonly RecipientResolution NotLocal = new(RecipientKind.NotLocalDomain, [], []);
    public static readonly RecipientResolution Unknown = new(RecipientKind.Unknown, [], []);
}

/// <summary>The outcome class of a recipient lookup.</summary>
public enum RecipientKind
{
    /// <summary>Delivered to one or more local accounts and/or forwarded to remote targets.</summary>
    Resolved,
    /// <summary>A local domain without such a user, alias or catch-all.</summary>
    Unknown,
    /// <summary>The domain is not hosted here.</summary>
    NotLocalDomain,
}
