using System.Security.Cryptography;

namespace Vigil.Core.Outbound;

/// <summary>Short random ids that name a transaction in logs, Received headers, replies and the queue.</summary>
public static class QueueIds
{
    private const string Alphabet = "0123456789BCDFGHJKLMNPQRSTVWXYZ";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, 12);

    /// <summary>True for a string that could be a queue id: guards CLI input before it reaches a query.</summary>
    public static bool IsWellFormed(string? id) => id is { Length: 12 } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
