namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>The fixed replies, in one place so tests and the session agree on every byte.</summary>
public static class SmtpReplies
{
    public static readonly SmtpReply Ok = new(250, "2.0.0", "OK");
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Sender OK");
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Recipient OK");
    public static readonly SmtpReply StartData = new(354, null, "Start mail input; end with <CRLF>.<CRLF>");
    public static readonly SmtpReply Bye = new(221, "2.0.0", "Bye");
    public static readonly SmtpReply ReadyForTls = new(220, "2.0.0", "Ready to start TLS");
    public static readonly SmtpReply CannotVrfy = new(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery");
    public static readonly SmtpReply ExpnDisabled = new(502, "5.5.1", "EXPN not available");
    public static readonly SmtpReply Help = new(214, "2.0.0", "See RFC 5321");
    public static readonly SmtpReply AuthOk = new(235, "2.7.0", "Authentication successful");
    public static readonly SmtpReply AuthFailed = new(535, "5.7.8", "Authentication credentials invalid");
    public static readonly SmtpReply PasswordExpired = new(535, "5.7.8", "Password expired: an administrator must set a new password before you can log in");
    public static readonly SmtpReply AuthCancelled = new(501, "5.0.0", "Authentication cancelled");
    public static readonly SmtpReply AuthNeedsTls = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static readonly SmtpReply AuthRequired = new(530, "5.7.0", "Authentication required");
    public static readonly SmtpReply AlreadyAuthenticated = new(503, "5.5.1", "Already authenticated");
    public static readonly SmtpReply UnknownMechanism = new(504, "5.5.4", "Unrecognized authentication type");
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");
    public static readonly SmtpReply TextLineTooLong = new(500, "5.5.2", "Message line too long (RFC 5321 §4.5.3.1.6 limits text lines to 1000 octets)");
    public static readonly SmtpReply BareLineEnding = new(554, "5.5.2", "Bare CR or LF in message; lines must end with CRLF");
    public static readonly SmtpReply UnknownCommand = new(500, "5.5.1", "Command unrecognized");
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");
    public static readonly SmtpReply NeedMail = new(503, "5.5.1", "MAIL first");
    public static readonly SmtpReply NeedRcpt = new(503, "5.5.1", "RCPT first");
    public static readonly SmtpReply NeedHelo = new(503, "5.5.1", "EHLO or HELO first");
    public static readonly SmtpReply NestedMail = new(503, "5.5.1", "Sender already specified");
    public static readonly SmtpReply TlsAlreadyActive = new(503, "5.5.1", "TLS already active");
    public static readonly SmtpReply TlsNotAvailable = new(454, "4.7.0", "TLS not available");
    public static readonly SmtpReply NoSuchUser = new(550, "5.1.1", "No such user here");
    public static readonly SmtpReply RelayDenied = new(554, "5.7.1", "Relay access denied");
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");
    public static readonly SmtpReply MessageTooBig = new(552, "5.3.4", "Message size exceeds fixed maximum message size");
    public static readonly SmtpReply MailboxFull = new(452, "4.2.2", "Mailbox full");
    public static readonly SmtpReply MailboxFullPermanent = new(552, "5.2.2", "Mailbox full");
    public static readonly SmtpReply Utf8Required = new(553, "5.6.7", "Non-ASCII address requires SMTPUTF8");
    public static readonly SmtpReply Timeout = new(421, "4.4.2", "Timeout exceeded, closing connection");
    public static readonly SmtpReply TooManyErrors = new(421, "4.7.0", "Too many errors, closing connection");
    public static readonly SmtpReply TooManyCommands = new(421, "4.7.0", "Too many commands without mail, closing connection");
    public static readonly SmtpReply TooManyMessages = new(421, "4.7.0", "Too many messages in one connection, please reconnect");
    public static readonly SmtpReply TooSlow = new(421, "4.4.2", "Data arriving too slowly, closing connection");
    public static readonly SmtpReply RecipientRateExceeded = new(450, "4.7.1", "Recipient rate limit exceeded, try again later");
    public static readonly SmtpReply LocalError = new(451, "4.3.0", "Local error in processing; please try again later");
    public static readonly SmtpReply SendRateExceeded = new(450, "4.7.1", "Too many messages sent in the last hour; try again later");

    /// <summary>The authenticated user may not send as this address (envelope or From).</summary>
    public static SmtpReply SenderNotOwned(string address, string user) =>
        new(553, "5.7.1", $"<{address}>: Sender address rejected: not owned by user {user}");

    public static readonly SmtpReply ShuttingDown = new(421, "4.3.2", "Service shutting down, try again later");
}
