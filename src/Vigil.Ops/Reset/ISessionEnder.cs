namespace Vigil.Ops.Reset;

/// <summary>Ends the open sessions of some accounts: directly inside the server, or by leaving a
/// request the running server picks up when the CLI asks from another process.</summary>
public interface ISessionEnder
{
    Task EndAsync(IReadOnlyCollection<long> accountIds, string reason, CancellationToken ct);

    /// <summary>Ends only the sessions that logged in with these app passwords (their ids are never
    /// reused); the accounts' other sessions carry on.</summary>
    Task EndAppPasswordSessionsAsync(IReadOnlyCollection<long> appPasswordIds, string reason, CancellationToken ct);
}
