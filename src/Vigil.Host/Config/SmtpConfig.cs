namespace Vigil.Host.Config;

/// <summary>SMTP bounds (DESIGN.md: every input is bounded).</summary>
public sealed class SmtpConfig
{
    public long MaxMessageBytes { get; set; } = 50L * 1024 * 1024;
    public int MaxRecipients { get; set; } = 100;
    public int MaxConnectionsPerIp { get; set; } = 20;
    public int MaxConnections { get; set; } = 1000;
    public int CommandTimeoutSeconds { get; set; } = 300;
    public int DataTimeoutSeconds { get; set; } = 180;
    public bool AllowPlaintextAuthOnLoopback { get; set; } = true;
    public int MaxCommandsBeforeAuth { get; set; } = 100;
    public int MaxMessagesPerConnection { get; set; } = 1000;
    public double MinDataBytesPerSecond { get; set; } = 1024;
    public int SlowTransferGraceSeconds { get; set; } = 30;
}
