using System.Text;
using Vigil.Net;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>Runs an <see cref="SmtpSession"/> for each accepted connection of one listener.</summary>
public sealed class SmtpConnectionHandler(SmtpServerOptions options, SmtpServices services) : IConnectionHandler
{
    public string Protocol => "smtp";

    public Task HandleAsync(Connection connection, CancellationToken ct) => new SmtpSession(connection, options, services).RunAsync(ct);

    public ReadOnlyMemory<byte> RefusalReply(string reason) => Encoding.ASCII.GetBytes($"421 4.7.0 {options.Hostname} {Ascii(reason)}\r\n");

    /// <summary>RFC 3463 X.3.2 "system not accepting network messages": a 4xx the sender retries, so
    /// nothing sent during a lockdown is lost (RFC 5321 §4.2.5, §4.5.4.1).</summary>
    public ReadOnlyMemory<byte> UnavailableReply(string reason) => Encoding.ASCII.GetBytes($"421 4.3.2 {options.Hostname} {Ascii(reason)}\r\n");

    private static string Ascii(string s) => new(s.Where(c => c is >= ' ' and < (char)127).ToArray());
}
