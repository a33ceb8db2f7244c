using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>GETQUOTA and GETQUOTAROOT (RFC 9208): one quota root "" per account with the STORAGE
/// resource in units of 1024 octets, the quota enforced on delivery and APPEND.</summary>
internal static class QuotaCommand
{
    public static async Task<CommandResult> GetQuotaRootAsync(ImapSession session, GetQuotaRootRequest request, CancellationToken ct)
    {
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        if (await session.Services.Store.GetMailboxAsync(session.Account!.Id, name, ct) is null) return CommandResult.No("Mailbox does not exist", "NONEXISTENT");
        var account = await session.Services.Directory.GetAccountByIdAsync(session.Account.Id, ct);
        var w = session.Writer;
        w.Untagged().Raw("QUOTAROOT "u8).Mailbox(name);
        if (account is { HasQuota: true }) w.Raw(" \"\""u8);
        w.Crlf();
        if (account is { HasQuota: true }) WriteQuota(session, account.UsedBytes, account.QuotaBytes);
        return CommandResult.Ok("GETQUOTAROOT completed");
    }

    public static async Task<CommandResult> GetQuotaAsync(ImapSession session, GetQuotaRequest request, CancellationToken ct)
    {
        var account = await session.Services.Directory.GetAccountByIdAsync(session.Account!.Id, ct);
        if (request.Root.Length != 0 || account is not { HasQuota: true }) return CommandResult.No("No such quota root", "NONEXISTENT");
        WriteQuota(session, account.UsedBytes, account.QuotaBytes);
        return CommandResult.Ok("GETQUOTA completed");
    }

    private static void WriteQuota(ImapSession session, long used, long limit) =>
        session.Writer.Untagged().Raw("QUOTA \"\" (STORAGE "u8).Number((used + 1023) / 1024).Sp().Number(limit / 1024).Close().Crlf();
}
