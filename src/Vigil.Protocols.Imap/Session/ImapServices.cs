using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Indexing;
using Vigil.Core.Mailboxes;
using Vigil.Core.Messages;
using Vigil.Core.Storage;
using Vigil.Security.Auth;
using Vigil.Security.Tls;

namespace Vigil.Protocols.Imap.Session;

/// <summary>What an IMAP session needs from the rest of Vigil: the mail core for changes, the
/// store interfaces for reads, the login service, TLS.</summary>
public sealed record ImapServices(
    IMessageStore Store,
    IBlobStore Blobs,
    IDirectoryStore Directory,
    MailboxService Mailboxes,
    MessageService Messages,
    MailboxEvents Events,
    LoginService Logins,
    TlsCertificateProvider? Tls,
    ILoggerFactory LoggerFactory,
    TextSearch TextSearch);
