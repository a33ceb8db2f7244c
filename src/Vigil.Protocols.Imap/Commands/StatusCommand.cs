using Vigil.Core.Model;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>STATUS (RFC 9051 §6.3.11) with SIZE (RFC 8438), HIGHESTMODSEQ (RFC 7162) and
/// APPENDLIMIT (RFC 7889).</summary>
internal static class StatusCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, StatusRequest request, CancellationToken ct)
    {
        if (ItemsError(session, request.Items) is { } error) return error;
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        var mailbox = await session.Services.Store.GetMailboxAsync(session.Account!.Id, name, ct);
        if (mailbox is null) return CommandResult.No("Mailbox does not exist", "NONEXISTENT");
        await WriteAsync(session, mailbox, request.Items, ct);
        return CommandResult.Ok("STATUS completed");
    }

    /// <summary>RFC 9051 §6.3.11 and App. E: IMAP4rev2 has no RECENT status item (its status-att
    /// grammar lacks it), so a session that enabled IMAP4rev2 gets BAD, as for an unknown item; an
    /// IMAP4rev1 session keeps it (RFC 3501 §6.3.10). Shared with LIST-STATUS.</summary>
    public static CommandResult? ItemsError(ImapSession session, StatusItems items) =>
        session.Rev2 && (items & StatusItems.Recent) != 0 ? CommandResult.Bad("Unknown STATUS item RECENT (not in IMAP4rev2)") : null;

    /// <summary>Writes "* STATUS name (...)"; shared with LIST-STATUS (RFC 5819).</summary>
    public static async Task WriteAsync(ImapSession session, Mailbox mailbox, StatusItems items, CancellationToken ct)
    {
        var needCounts = (items & (StatusItems.Messages | StatusItems.Recent | StatusItems.Unseen | StatusItems.Deleted | StatusItems.Size)) != 0;
        var counts = needCounts ? await session.Services.Store.GetMailboxCountsAsync(session.Account!.Id, mailbox.Id, ct) : null;
        var w = session.Writer;
        w.Untagged().Raw("STATUS "u8).Mailbox(mailbox.Name).Raw(" ("u8);
        var first = true;
        void Item(ReadOnlySpan<byte> label, long value)
        {
            if (!first) w.Sp();
            first = false;
            w.Raw(label).Sp().Number(value);
        }
        if ((items & StatusItems.Messages) != 0) Item("MESSAGES"u8, counts!.Messages);
        if ((items & StatusItems.Recent) != 0) Item("RECENT"u8, counts!.Recent);
        if ((items & StatusItems.UidNext) != 0) Item("UIDNEXT"u8, mailbox.UidNext);
        if ((items & StatusItems.UidValidity) != 0) Item("UIDVALIDITY"u8, mailbox.UidValidity);
        if ((items & StatusItems.Unseen) != 0) Item("UNSEEN"u8, counts!.Unseen);
        if ((items & StatusItems.Deleted) != 0) Item("DELETED"u8, counts!.Deleted);
        if ((items & StatusItems.Size) != 0) Item("SIZE"u8, counts!.Size);
        if ((items & StatusItems.HighestModSeq) != 0) Item("HIGHESTMODSEQ"u8, mailbox.HighestModSeq);
        if ((items & StatusItems.AppendLimit) != 0) Item("APPENDLIMIT"u8, session.Options.AppendLimit);
        w.Close().Crlf();
    }
}
