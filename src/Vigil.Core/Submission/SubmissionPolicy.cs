using Vigil.Core.Addressing;
using Vigil.Core.Model;

namespace Vigil.Core.Submission;

/// <summary>The rules an authenticated sender meets on submission (RFC 6409 §6.1 lets the MSA
/// enforce them): who they may send as, and how many messages per hour.</summary>
public sealed class SubmissionPolicy(SenderRules senders, ISendPolicyStore policies, SendRateLimiter rate, int defaultMessagesPerHour)
{
    public Task<bool> MayUseSenderAsync(Account account, EmailAddress address, CancellationToken ct) => senders.MayUseAsync(account, address, ct);

    public async Task<bool> IsUnderRateAsync(Account account, CancellationToken ct)
    {
        var policy = await policies.GetAsync(account.Id, ct);
        return rate.IsUnderLimit(account.Id, policy.MessagesPerHour ?? defaultMessagesPerHour);
    }

    public void RecordSent(Account account) => rate.Record(account.Id);
}
