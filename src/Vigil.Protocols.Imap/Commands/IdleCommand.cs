using System.Text;
using Vigil.Net;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>IDLE (RFC 2177, RFC 9051 §6.3.13): after "+ idling" every change to the selected
/// mailbox is pushed at once, woken by the in-process mailbox events, until the client sends
/// DONE. The read of DONE stays pending across wake-ups, so an idle session holds one small task.</summary>
internal static class IdleCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, SimpleRequest request, CancellationToken ct)
    {
        session.Writer.Continuation("idling");
        var done = session.Connection.Reader.ReadLineAsync(64, session.Options.IdleTimeout, ct).AsTask();
        while (true)
        {
            if (session.Selected is { } selected && (selected.Dirty || selected.PendingExpunges.Count > 0))
            {
                if (!await MailboxSynchronizer.SyncAsync(session, allowExpunge: true, ct))
                {
                    await session.ByeAsync("Selected mailbox was deleted", ct);
                    return CommandResult.None;
                }
            }
            var changed = session.Selected is null ? Task.Delay(Timeout.Infinite, ct) : session.WaitForChangeAsync();
            await session.Connection.Output.FlushAsync(ct);
            var first = await Task.WhenAny(done, changed);
            if (first == done) break;
        }
        session.StopWaiting();
        var read = await done;
        switch (read.Status)
        {
            case LineStatus.Line:
                var line = Encoding.ASCII.GetString(LineScanner.TrimEol(read.Line, out _));
                return line.Equals("DONE", StringComparison.OrdinalIgnoreCase)
                    ? CommandResult.Ok("IDLE terminated")
                    : CommandResult.Bad("Expected DONE");
            case LineStatus.TimedOut:
                await session.ByeAsync("Autologout; idle for too long", ct);
                return CommandResult.None;
            case LineStatus.TooLong:
                return CommandResult.Bad("Expected DONE");
            default:
                session.Logout();
                return CommandResult.None;
        }
    }
}
