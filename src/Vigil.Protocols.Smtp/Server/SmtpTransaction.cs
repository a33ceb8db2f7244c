using Vigil.Core.Delivery;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>The mail transaction between MAIL and the end of DATA/BDAT LAST (RFC 5321 §3.3).</summary>
internal sealed class SmtpTransaction(SmtpPath reversePath, MailParameters parameters)
{
    public SmtpPath ReversePath { get; } = reversePath;
    public MailParameters Parameters { get; } = parameters;
    public List<EnvelopeRecipient> Recipients { get; } = [];
    public HashSet<long> LocalAccounts { get; } = [];
    public List<EnvelopeRecipient> RemoteRecipients { get; } = [];

    /// <summary>Open while BDAT chunks arrive; null before the first chunk.</summary>
    public IAsyncDisposable? ChunkWriter { get; set; }
}
