using Vigil.Core.Messages;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Parsing;
using Vigil.Protocols.Imap.Protocol.Requests;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502: all messages or none), CATENATE
/// (RFC 4469), literal8 (RFC 3516), quota (RFC 9208 OVERQUOTA) and APPENDUID (RFC 4315). The OK
/// comes only once every message is durable.</summary>
internal static class AppendCommand
{
    public static async Task<CommandResult> ExecuteAsync(ImapSession session, AppendRequest request, IReadOnlyList<IBlobWriter> spooled, CancellationToken ct)
    {
        // RFC 6855 §4: the UTF8 data extension before ENABLE UTF8=ACCEPT MUST be rejected with BAD.
        if (!session.Utf8On && request.Messages.Any(m => m.UsesUtf8)) return CommandResult.Bad("APPEND UTF8 needs ENABLE UTF8=ACCEPT first");
        var name = MailboxArgument.Decode(session, request.Mailbox);
        if (name is null) return MailboxOutcomes.InvalidName;
        var mailbox = await session.Services.Store.GetMailboxAsync(session.Account!.Id, name, ct);
        if (mailbox is null) return CommandResult.No("Mailbox does not exist", "TRYCREATE");
        // RFC 3502 §6.3.11: a zero-length message literal is an error that MUST return NO, and
        // clients use it to cancel a MULTIAPPEND; checked first so that nothing is stored.
        if (request.Messages.Any(m => m.Data is { Length: 0 })) return CommandResult.No("Zero-length message literal, APPEND cancelled");
        var uploads = new List<UploadedMessage>();
        foreach (var message in request.Messages)
        {
            if (!FlagArguments.TrySplit(message.Flags, out var flags, out var keywords)) return CommandResult.Bad("Invalid system flag");
            UploadResult upload;
            if (message.Catenate is not null)
            {
                upload = await CatenateCommand.BuildAsync(session, message.Catenate, ct);
            }
            else
            {
                upload = await StoreAsync(session, message.Data!, ct);
            }
            if (upload.Error is { } error) return error;
            uploads.Add(new UploadedMessage(upload.Blob, upload.Size, message.InternalDate ?? DateTimeOffset.Now, flags, keywords));
        }
        IReadOnlyList<AppendedMessage> appended;
        try
        {
            appended = await session.Services.Messages.AppendAsync(session.Account.Id, mailbox.Name, uploads, ct);
        }
        catch (QuotaExceededException)
        {
            return CommandResult.No("Quota exceeded", "OVERQUOTA");
        }
        catch (KeyNotFoundException)
        {
            return CommandResult.No("Mailbox does not exist", "TRYCREATE");
        }
        var code = $"APPENDUID {appended[0].UidValidity} {SequenceSet.Format(appended.Select(a => a.Uid))}";
        return CommandResult.Ok("APPEND completed", code);
    }

    /// <summary>Commits a literal as a blob: a spooled one is already on disk, an inline one is written now.</summary>
    private static async Task<UploadResult> StoreAsync(ImapSession session, LiteralData data, CancellationToken ct)
    {
        if (data.Length > session.Options.AppendLimit) return UploadResult.Failed(CommandResult.No("Message too large", "TOOBIG"));
        if (data.Spooled is IBlobWriter spooled) return new UploadResult(await spooled.CommitAsync(ct), data.Length, null);
        await using var writer = session.Services.Blobs.CreateWriter();
        await writer.WriteAsync(data.Inline, ct);
        return new UploadResult(await writer.CommitAsync(ct), data.Length, null);
    }
}

/// <summary>A message body committed as a blob, or why it could not be.</summary>
internal sealed record UploadResult(BlobId Blob, long Size, CommandResult? Error)
{
    public static UploadResult Failed(CommandResult error) => new(default, 0, error);
}
