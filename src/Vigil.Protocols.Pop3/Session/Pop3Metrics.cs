using System.Diagnostics.Metrics;
using Vigil.Core.Observability;

namespace Vigil.Protocols.Pop3.Session;

/// <summary>POP3 instruments on the shared Vigil meter (docs/metrics.md, docs/pop3.md).</summary>
internal static class Pop3Metrics
{
    /// <summary>RETR and TOP responses sent, by command.</summary>
    public static readonly Counter<long> Retrieved = VigilMetrics.Meter.CreateCounter<long>("vigil_pop3_retrieved_messages", description: "Messages sent by RETR and TOP");

    public static readonly Counter<long> SentBytes = VigilMetrics.Meter.CreateCounter<long>("vigil_pop3_sent_bytes", unit: "By", description: "Message octets sent by RETR and TOP");

    /// <summary>Messages expunged in the UPDATE state after QUIT.</summary>
    public static readonly Counter<long> Deleted = VigilMetrics.Meter.CreateCounter<long>("vigil_pop3_deleted_messages", description: "Messages deleted at QUIT");

    /// <summary>Logins refused with [IN-USE] because another session holds the maildrop.</summary>
    public static readonly Counter<long> InUse = VigilMetrics.Meter.CreateCounter<long>("vigil_pop3_in_use_refusals", description: "Logins refused because the maildrop was locked");
}
