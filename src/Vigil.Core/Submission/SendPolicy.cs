namespace Vigil.Core.Submission;

/// <summary>What one account may do on submission beyond the defaults: extra sender patterns
/// (an address, <c>*@domain</c>, or <c>*</c>) and its own hourly message limit.</summary>
public sealed record SendPolicy(IReadOnlyList<string> ExtraSenders, int? MessagesPerHour)
{
    public static readonly SendPolicy None = new([], null);
}

/// <summary>Per-account submission settings, changed by <c>vigil sender</c>.</summary>
public interface ISendPolicyStore
{
    Task<SendPolicy> GetAsync(long accountId, CancellationToken ct);

    Task AllowSenderAsync(long accountId, string pattern, CancellationToken ct);

    Task<bool> RevokeSenderAsync(long accountId, string pattern, CancellationToken ct);

    /// <summary>Sets the account's limit; null returns it to the server default.</summary>
    Task SetRateAsync(long accountId, int? messagesPerHour, CancellationToken ct);
}
