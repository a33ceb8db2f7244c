using System.Net;
using Vigil.Core.Model;

namespace Vigil.Security.Auth;

/// <summary>What is known about one network session: its protocol, its client and, once a login
/// succeeds, its account. The listener opens a scope around each session and
/// <see cref="LoginService"/> fills in the account, so every protocol that logs in through it can be
/// found and ended by account (forced reset) without each protocol reporting its logins itself.
/// It travels with the session's async flow (<see cref="AsyncLocal{T}"/>), which is exactly the
/// extent of one connection.</summary>
public sealed class SessionScope(string protocol, IPAddress remote)
{
    private static readonly AsyncLocal<SessionScope?> CurrentScope = new();
    private long _accountId;
    private long _appPasswordId;

    public string Protocol { get; } = protocol;
    public IPAddress Remote { get; } = remote;

    /// <summary>The logged-in account, or null before (or without) a login.</summary>
    public long? AccountId => Interlocked.Read(ref _accountId) is var id and > 0 ? id : null;

    /// <summary>The app password the session logged in with, or null (the account password, or no
    /// login yet), so revoking one app password ends only the sessions opened with it.</summary>
    public long? AppPasswordId => Interlocked.Read(ref _appPasswordId) is var id and > 0 ? id : null;

    /// <summary>The scope of the session running on this async flow, if any.</summary>
    public static SessionScope? Current
    {
        get => CurrentScope.Value;
        set => CurrentScope.Value = value;
    }

    internal void SignedIn(Account account, AppPassword? appPassword)
    {
        Interlocked.Exchange(ref _appPasswordId, appPassword?.Id ?? 0);
        Interlocked.Exchange(ref _accountId, account.Id);
    }
}
