using Microsoft.Extensions.Logging;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Core.Storage;
using Vigil.Core.Submission;
using Vigil.Security.Auth;
using Vigil.Security.Limits;
using Vigil.Security.Tls;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>What an SMTP session needs from the rest of Vigil: the mail core, not the store.
/// <see cref="Submission"/> (sender rules and send rate) applies to authenticated senders when set.</summary>
public sealed record SmtpServices(
    DeliveryService Delivery,
    RecipientResolver Recipients,
    IDirectoryStore Directory,
    IBlobStore Blobs,
    LoginService Logins,
    TlsCertificateProvider? Tls,
    ILoggerFactory LoggerFactory,
    RecipientRateLimiter? RecipientRates = null,
    SubmissionPolicy? Submission = null,
    IInboundMessageCheck? InboundCheck = null,
    string? SpoolDirectory = null);
