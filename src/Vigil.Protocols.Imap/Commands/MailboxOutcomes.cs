using Vigil.Core.Mailboxes;
using Vigil.Protocols.Imap.Session;

namespace Vigil.Protocols.Imap.Commands;

/// <summary>Maps mailbox-operation outcomes to replies with RFC 5530 response codes.</summary>
internal static class MailboxOutcomes
{
    public static CommandResult ToResult(MailboxOutcome outcome, string command) => outcome switch
    {
        MailboxOutcome.Ok => CommandResult.Ok(command + " completed"),
        MailboxOutcome.InvalidName => CommandResult.No("Invalid mailbox name", "CANNOT"),
        MailboxOutcome.AlreadyExists => CommandResult.No("Mailbox already exists", "ALREADYEXISTS"),
        MailboxOutcome.NotFound => CommandResult.No("Mailbox does not exist", "NONEXISTENT"),
        MailboxOutcome.HasChildren => CommandResult.No("Mailbox has children; delete them first", "HASCHILDREN"),
        MailboxOutcome.Inbox => CommandResult.No("INBOX cannot be deleted", "CANNOT"),
        MailboxOutcome.BadSpecialUse => CommandResult.No("Unsupported special-use attribute", "USEATTR"),
        _ => CommandResult.No(command + " failed"),
    };

    public static readonly CommandResult InvalidName = CommandResult.No("Invalid mailbox name", "CANNOT");
}
