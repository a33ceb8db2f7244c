namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>The extended response codes of RFC 2449 §8 and RFC 3206 that Vigil sends.</summary>
public static class Pop3ResponseCode
{
    /// <summary>RFC 2449 §8.1.2: the maildrop is locked by another session.</summary>
    public const string InUse = "IN-USE";

    /// <summary>RFC 3206 §4: the failure is about credentials (or their state), not the system.</summary>
    public const string Auth = "AUTH";

    /// <summary>RFC 3206 §5: a temporary system problem; trying later may succeed.</summary>
    public const string SysTemp = "SYS/TEMP";

    /// <summary>RFC 3206 §5: a permanent system problem.</summary>
    public const string SysPerm = "SYS/PERM";
}
