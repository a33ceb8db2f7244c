using System.Net;
using System.Net.Sockets;

namespace Vigil.Security.MailAuth.Dns;

/// <summary>The DNS questions sender authentication asks. Answers distinguish "no such data"
/// (NXDOMAIN or an empty answer: a void lookup in RFC 7208 §4.6.4) from a temporary failure.</summary>
public interface IMailDns
{
    /// <summary>TXT records, each with its character-strings concatenated (RFC 7208 §3.3, RFC 6376 §3.6.2.2).</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct);

    Task<DnsAnswer<IPAddress>> AddressesAsync(string name, AddressFamily family, CancellationToken ct);

    /// <summary>MX exchange names, in preference order.</summary>
    Task<DnsAnswer<string>> MxAsync(string name, CancellationToken ct);

    /// <summary>PTR names for an address.</summary>
    Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct);
}

/// <summary>The outcome of one DNS question.</summary>
public enum DnsStatus
{
    Ok,
    /// <summary>NXDOMAIN.</summary>
    NoSuchName,
    /// <summary>SERVFAIL, timeout, refused: try again later.</summary>
    TempFail,
}

/// <summary>A DNS answer: a status and the records (names without the trailing dot).</summary>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records)
{
    public static DnsAnswer<T> TempFail { get; } = new(DnsStatus.TempFail, []);
    public static DnsAnswer<T> NoSuchName { get; } = new(DnsStatus.NoSuchName, []);

    /// <summary>RFC 7208 §4.6.4: NXDOMAIN or no answers.</summary>
    public bool IsVoid => Status == DnsStatus.NoSuchName || (Status == DnsStatus.Ok && Records.Count == 0);
}
