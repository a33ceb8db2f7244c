using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Protocol.Threading;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>THREAD and UID THREAD (RFC 5256 §4) with ORDEREDSUBJECT and REFERENCES.</summary>
internal static class ThreadCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, ThreadRequest request, CancellationToken ct)
    {
        var hits = await new SearchEngine(session).RunAsync(request.Key, withSummary: true, ct);
        var messages = hits.Select(h =>
        {
            var s = h.Record.Summary!;
            return new ThreadMessage(request.Uid ? h.Record.Uid : (uint)h.Sequence, Strip(s.Envelope.MessageId), s.References,
                s.Envelope.SubjectText, s.SentDate ?? h.Record.InternalDate);
        }).ToList();
        var threads = request.Algorithm == ThreadAlgorithm.References ? ThreadBuilder.References(messages) : ThreadBuilder.OrderedSubject(messages);
        session.Writer.Untagged().Raw("THREAD"u8);
        if (threads.Count > 0) session.Writer.Sp().Ascii(ThreadBuilder.Format(threads));
        session.Writer.Crlf();
        return CommandResult.Ok(request.Name + " completed");
    }

    /// <summary>Message-ids compare without their angle brackets, as MimeKit stores references.</summary>
    private static string? Strip(string? id) => id?.Trim().TrimStart('<').TrimEnd('>');
}
