using MimeKit;
using Vigil.Core.Addressing;
using Vigil.Core.Model;

namespace Vigil.Core.Submission;

/// <summary>The rules an authenticated sender meets on submission (RFC 6409 §6.1 lets the MSA
/// enforce them): who they may send as, in the envelope and in From, and how many messages per hour.</summary>
public sealed class SubmissionPolicy(SenderRules senders, ISendPolicyStore policies, SendRateLimiter rate, int defaultMessagesPerHour)
{
    /// <summary>The reverse-path: an owned address, or the null path only for accounts granted <c>*</c>
    /// (a null sender gets no bounces, so it would hide who sent what).</summary>
    public async Task<bool> MayUseReversePathAsync(Account account, string reversePath, CancellationToken ct)
    {
        if (reversePath.Length == 0) return (await policies.GetAsync(account.Id, ct)).ExtraSenders.Contains("*");
        return EmailAddress.TryParse(reversePath, out var address) && await senders.MayUseAsync(account, address, ct);
    }

    /// <summary>The first From address the account may not use, or null when all are its own. A
    /// message without a From field passes: the field is the author's claim, and no claim is none
    /// we must stop.</summary>
    public async Task<string?> ForeignFromAsync(Account account, Stream message, CancellationToken ct)
    {
        HeaderList headers;
        try { headers = await HeaderList.LoadAsync(ParserOptions.Default, message, ct); }
        catch (FormatException) { return null; }
        foreach (var value in headers.Where(h => h.Id == HeaderId.From).Select(h => h.Value))
        {
            if (!InternetAddressList.TryParse(value, out var list)) return value.Trim();
            foreach (var mailbox in list.Mailboxes)
            {
                if (!EmailAddress.TryParse(mailbox.Address, out var address) || !await senders.MayUseAsync(account, address, ct)) return mailbox.Address;
            }
        }
        return null;
    }

    public async Task<bool> IsUnderRateAsync(Account account, CancellationToken ct)
    {
        var policy = await policies.GetAsync(account.Id, ct);
        return rate.IsUnderLimit(account.Id, policy.MessagesPerHour ?? defaultMessagesPerHour);
    }

    public void RecordSent(Account account) => rate.Record(account.Id);
}
