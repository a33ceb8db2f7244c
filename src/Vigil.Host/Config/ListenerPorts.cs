using System.Text.Json.Serialization;

namespace Vigil.Host.Config;

/// <summary>Listener ports. Null disables a listener; 0 takes any free port (tests), and the
/// bound ports are written to <c>DATA/run/status.json</c>. A null is written out as null: the
/// config is saved without nulls elsewhere, and a dropped key would come back as the default port,
/// re-enabling a listener the admin turned off.</summary>
public sealed class ListenerPorts
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Smtp { get; set; } = 25;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Submission { get; set; } = 587;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Submissions { get; set; } = 465;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Imap { get; set; } = 143;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Imaps { get; set; } = 993;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Pop3 { get; set; } = 110;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Pop3s { get; set; } = 995;
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Http { get; set; } = 443;

    /// <summary>Prometheus scrape endpoint (<c>/metrics</c>), bound to loopback only; see docs/metrics.md.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
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
