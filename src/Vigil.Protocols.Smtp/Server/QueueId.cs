using System.Security.Cryptography;

namespace Vigil.Protocols.Smtp.Server;

/// <summary>Short random ids that tie a transaction's log line, Received header and reply together.</summary>
public static class QueueId
{
    private const string Alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 12);
}
