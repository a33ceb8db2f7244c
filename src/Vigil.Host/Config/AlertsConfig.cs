using Vigil.Ops.Alerts;

namespace Vigil.Host.Config;

/// <summary>Where alerts go besides the audit log, the log and the metric, and what Vigil does on
/// the gravest ones.</summary>
public sealed class AlertsConfig
{
    /// <summary>An address that receives every alert by mail, delivered by this server.</summary>
    public string? Email { get; set; }

    /// <summary>A URL that receives every alert as an HTTP POST of JSON.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>"alert" (default): alert only. "lockdown": also lock down automatically on a
    /// program-file change or a mass rewrite of blobs.</summary>
    public string Response { get; set; } = "alert";

    public AlertOptions ToOptions(VigilConfig config)
    {
        Uri? webhook = null;
        if (!string.IsNullOrWhiteSpace(WebhookUrl) && (!Uri.TryCreate(WebhookUrl, UriKind.Absolute, out webhook) || webhook.Scheme is not ("http" or "https")))
        {
            throw new UserErrorException($"alerts.webhookUrl '{WebhookUrl}' is not an http(s) URL");
        }
        if (Response is not ("alert" or "lockdown")) throw new UserErrorException($"alerts.response must be \"alert\" or \"lockdown\", not \"{Response}\"");
        return new AlertOptions(config.Hostname, config.InstanceId, string.IsNullOrWhiteSpace(Email) ? null : Email.Trim(), webhook, Response == "lockdown");
    }
}
