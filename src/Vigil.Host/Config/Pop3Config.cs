namespace Vigil.Host.Config;

/// <summary>POP3 settings (docs/pop3.md). Ports are in <see cref="ListenerPorts"/>.</summary>
public sealed class Pop3Config
{
    /// <summary>RFC 1939 §3: the autologout timer is at least 10 minutes; lower values are raised to it.</summary>
    public int CommandTimeoutSeconds { get; set; } = 600;

    /// <summary>Loopback clients may send USER/PASS/AUTH before STLS (local tools).</summary>
    public bool AllowPlaintextLoginFromLoopback { get; set; } = true;
}
