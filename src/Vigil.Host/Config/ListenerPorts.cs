namespace Vigil.Host.Config;

/// <summary>Listener ports. Null disables a listener; 0 takes any free port (tests), and the
/// bound ports are written to <c>DATA/run/status.json</c>.</summary>
public sealed class ListenerPorts
{
    public int? Smtp { get; set; } = 25;
    public int? Submission { get; set; } = 587;
    public int? Submissions { get; set; } = 465;
    public int? Imap { get; set; } = 143;
    public int? Imaps { get; set; } = 993;
    public int? Pop3 { get; set; } = 110;
    public int? Pop3s { get; set; } = 995;
    public int? Http { get; set; } = 443;

    /// <summary>Prometheus scrape endpoint (<c>/metrics</c>), bound to loopback only; see docs/metrics.md.</summary>
    public int? Metrics { get; set; } = 9925;

    public static ListenerPorts WithOffset(int offset) => new()
    {
        Smtp = 25 + offset,
        Submission = 587 + offset,
        Submissions = 465 + offset,
        Imap = 143 + offset,
        Imaps = 993 + offset,
        Pop3 = 110 + offset,
        Pop3s = 995 + offset,
        Http = 443 + offset,
        Metrics = 9925 + offset,
    };
}
