using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Core.Storage;
using Vigil.Security.Auth;
using Vigil.Security.Tls;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>What a POP3 session needs from the rest of Vigil. One instance is shared by every
/// POP3 listener so the maildrop lock holds across ports 110 and 995.</summary>
public sealed record Pop3Services(
    LoginService Logins,
    IMessageStore Messages,
    IBlobStore Blobs,
    MailboxEvents Events,
    MaildropLocks Locks,
    MessageSizes Sizes,
    TlsCertificateProvider? Tls,
    ILoggerFactory LoggerFactory);
