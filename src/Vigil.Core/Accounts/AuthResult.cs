using Vigil.Core.Model;

namespace Vigil.Core.Accounts;

/// <summary>The outcome of a credential check. Failure reasons are deliberately coarse so a
/// protocol reply cannot reveal whether a user exists.</summary>
public sealed record AuthResult(AuthOutcome Outcome, Account? Account)
{
    public static readonly AuthResult Failed = new(AuthOutcome.InvalidCredentials, null);
    public bool Succeeded => Outcome == AuthOutcome.Success;

    /// <summary>The app password that was presented, when it was one (logs, and the session's
    /// record of how it logged in).</summary>
    public AppPassword? AppPassword { get; init; }
}

/// <summary>The class of a credential check outcome.</summary>
public enum AuthOutcome
{
    Success,
    InvalidCredentials,
    /// <summary>The password (or app password) was right but an admin forced a reset; a new
    /// password must be set first.</summary>
    PasswordExpired,
}
