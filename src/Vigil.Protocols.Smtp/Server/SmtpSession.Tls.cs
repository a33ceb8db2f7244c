using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Protocols.Smtp.Server;

// STARTTLS (RFC 3207).
public sealed partial class SmtpSession
{
    private async Task<SmtpReply?> StartTlsAsync(string argument, CancellationToken ct)
    {
        if (argument.Length > 0) return new SmtpReply(501, "5.5.4", "STARTTLS takes no arguments");
        if (_connection.IsTls) return SmtpReplies.TlsAlreadyActive;
        if (_services.Tls is null) return SmtpReplies.TlsNotAvailable;
        await ReplyAndFlushAsync(SmtpReplies.ReadyForTls, ct);
        await _connection.StartTlsAsync(_services.Tls.ServerOptions(), _options.TlsHandshakeTimeout, ct);
        // §4.2: the client must start over with EHLO; everything learnt before TLS is forgotten.
        _helo = null;
        _ehlo = false;
        await AbortTransactionAsync();
        return null;
    }
}
