namespace Vigil.Ops.Reset;

/// <summary>Ends the open sessions of some accounts: directly inside the server, or by leaving a
/// request the running server picks up when the CLI asks from another process.</summary>
public interface ISessionEnder
{
    Task EndAsync(IReadOnlyCollection<long> accountIds, string reason, CancellationToken ct);
}
