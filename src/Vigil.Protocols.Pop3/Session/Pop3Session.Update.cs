using Vigil.Protocols.Pop3.Protocol;

namespace Vigil.Protocols.Pop3.Session;

// QUIT and the UPDATE state (RFC 1939 §6).
public sealed partial class Pop3Session
{
    private async Task<Pop3Response?> QuitAsync(Pop3Command command, CancellationToken ct)
    {
        if (command.Argument.Length > 0) return Pop3Response.Error("QUIT takes no arguments");
        _closing = true;
        if (_state == Pop3State.Authorization)
        {
            await ReplyAndFlushAsync(Pop3Response.Success($"{_options.Hostname} Vigil POP3 server signing off"), ct);
            return null;
        }

        // UPDATE: the marked messages are expunged as one durable change, then announced so that
        // IMAP sessions on the same mailbox see them go (EXPUNGE/VANISHED).
        var account = _account!;
        var marked = _maildrop!.DeletedUids();
        var deleted = 0;
        if (marked.Count > 0)
        {
            try
            {
                var result = await _services.Messages.ExpungeAsync(account.Id, _maildrop.MailboxId, marked, ct);
                if (!result.IsEmpty) _services.Events.Publish(result.ToChange());
                deleted = result.Uids.Count;
                Pop3Metrics.Deleted.Add(deleted);
            }
#pragma warning disable CA1031 // RFC 1939 §6: report the failure; the marks are simply not carried out
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogUpdateFailed(_logger, ex, account.Address, marked.Count);
                await ReplyAndFlushAsync(Pop3Response.Error(Pop3ResponseCode.SysTemp, "Some deleted messages not removed; try again"), ct);
                return null;
            }
        }
        LogUpdate(_logger, account.Address, deleted, marked.Count);
        var (left, _) = _maildrop.Stat();
        await ReplyAndFlushAsync(Pop3Response.Success($"{_options.Hostname} Vigil POP3 server signing off ({left} messages left)"), ct);
        return null;
    }
}
