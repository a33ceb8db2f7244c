namespace Vigil.Core.Model;

/// <summary>Redirects mail for <c>LocalPart@Domain</c> (or every unknown local part when
/// <see cref="LocalPart"/> is <c>*</c>, the catch-all) to a target address.</summary>
public sealed record Alias(long Id, long DomainId, string LocalPart, string DomainName, string Target, DateTimeOffset Created)
{
    public const string CatchAll = "*";
    public string Source => $"{LocalPart}@{DomainName}";
}
