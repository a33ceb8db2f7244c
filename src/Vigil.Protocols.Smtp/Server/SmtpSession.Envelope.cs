using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

// MAIL FROM and RCPT TO (RFC 5321 §4.1.1.2, §4.1.1.3).
public sealed partial class SmtpSession
{
    private async Task<SmtpReply?> MailAsync(string argument, CancellationToken ct)
    {
        if (_helo is null) return SmtpReplies.NeedHelo;
        if (_transaction is not null) return SmtpReplies.NestedMail;
        if (_options.Mode == SmtpMode.Submission && _authenticated is null) return SmtpReplies.AuthRequired;
        if (_messages >= _options.MaxMessagesPerConnection)
        {
            _quit = true;
            return SmtpReplies.TooManyMessages;
        }
        if (!SmtpPathParser.TryParse(argument, "FROM:", allowNull: true, out var path, out var raw, out var error))
            return new SmtpReply(501, "5.1.7", error);
        if (!MailParameters.TryParse(raw, out var parameters, out var paramError)) return paramError;
        if (!_ehlo && raw.Count > 0) return new SmtpReply(555, "5.5.4", "Parameters need EHLO");
        if (parameters.Size > _options.MaxMessageBytes) return SmtpReplies.MessageTooBig;
        if (path.HasNonAscii && !parameters.SmtpUtf8) return SmtpReplies.Utf8Required;
        if (_authenticated is not null && _services.Submission is { } policy)
        {
            if (!await policy.MayUseReversePathAsync(_authenticated, path.Address, ct)) return SmtpReplies.SenderNotOwned(path.Address, _authenticated.Address);
            if (!await policy.IsUnderRateAsync(_authenticated, ct)) return SmtpReplies.SendRateExceeded;
        }
        _transaction = new SmtpTransaction(path, parameters);
        _messages++;
        return SmtpReplies.SenderOk;
    }

    private async Task<SmtpReply?> RcptAsync(string argument, CancellationToken ct)
    {
        var tx = _transaction;
        if (tx is null) return SmtpReplies.NeedMail;
        if (tx.Recipients.Count >= _options.MaxRecipients) return SmtpReplies.TooManyRecipients;
        if (!SmtpPathParser.TryParse(argument, "TO:", allowNull: false, out var path, out var raw, out var error))
            return new SmtpReply(501, "5.1.3", error);
        if (!RcptParameters.TryParse(raw, out var parameters, out var paramError)) return paramError;
        if (path.HasNonAscii && !tx.Parameters.SmtpUtf8) return SmtpReplies.Utf8Required;

        var address = path.Domain is null ? await PostmasterAsync(ct) : ParseRecipient(path);
        if (address is null) return new SmtpReply(550, "5.1.3", "Bad recipient address");
        var resolution = await _services.Recipients.ResolveAsync(address, ct);
        var recipient = new EnvelopeRecipient(address.ToString(), parameters.Notify, parameters.OriginalRecipient);

        switch (resolution.Kind)
        {
            case RecipientKind.Unknown:
                return SmtpReplies.NoSuchUser;
            case RecipientKind.NotLocalDomain:
                if (_authenticated is null) return SmtpReplies.RelayDenied;
                if (!_services.Delivery.CanRelay) return new SmtpReply(550, "5.7.1", "Outbound delivery is not enabled on this server");
                if (!TakeRecipientBudget()) return SmtpReplies.RecipientRateExceeded;
                tx.RemoteRecipients.Add(recipient);
                tx.Recipients.Add(recipient);
                return SmtpReplies.RecipientOk;
        }

        var quota = await CheckQuotaAsync(resolution.AccountIds, tx.Parameters.Size, ct);
        if (quota is not null) return quota;
        if (!TakeRecipientBudget()) return SmtpReplies.RecipientRateExceeded;
        foreach (var id in resolution.AccountIds) tx.LocalAccounts.Add(id);
        if (_services.Delivery.CanRelay)
        {
            foreach (var forward in resolution.RemoteTargets) tx.RemoteRecipients.Add(new EnvelopeRecipient(forward.ToString(), parameters.Notify, "rfc822;" + address));
        }
        else if (resolution.AccountIds.Count == 0)
        {
            return SmtpReplies.NoSuchUser; // forwarding-only alias while outbound delivery is off
        }
        tx.Recipients.Add(recipient);
        return SmtpReplies.RecipientOk;
    }

    /// <summary>Recipients per hour, per account when authenticated, else per client network.</summary>
    private bool TakeRecipientBudget() =>
        _services.RecipientRates?.TryTake(_authenticated?.Id, _connection.Remote.Address) ?? true;

    /// <summary>RFC 5321 §4.1.4: a full mailbox is temporary (452) unless the declared size alone
    /// can never fit (552).</summary>
    private async Task<SmtpReply?> CheckQuotaAsync(IReadOnlyList<long> accountIds, long? declaredSize, CancellationToken ct)
    {
        foreach (var id in accountIds)
        {
            var account = await _services.Directory.GetAccountByIdAsync(id, ct);
            if (account is null || !account.HasQuota) continue;
            if (declaredSize > account.QuotaBytes) return SmtpReplies.MailboxFullPermanent;
            if (account.UsedBytes >= account.QuotaBytes || account.UsedBytes + (declaredSize ?? 0) > account.QuotaBytes) return SmtpReplies.MailboxFull;
        }
        return null;
    }

    private static EmailAddress? ParseRecipient(SmtpPath path) =>
        !path.IsAddressLiteral && EmailAddress.TryParse(path.Address, out var a) ? a : null;

    /// <summary>RFC 5321 §4.5.1: "RCPT TO:&lt;Postmaster&gt;" without a domain must be accepted; it
    /// goes to postmaster of the first hosted domain.</summary>
    private async Task<EmailAddress?> PostmasterAsync(CancellationToken ct)
    {
        var domains = await _services.Directory.ListDomainsAsync(ct);
        return domains.Count == 0 ? null : new EmailAddress("postmaster", domains[0].Name);
    }
}
