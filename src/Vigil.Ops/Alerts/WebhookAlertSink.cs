using System.Net.Http.Json;
using System.Text.Json;

namespace Vigil.Ops.Alerts;

/// <summary>POSTs each alert as JSON to the URL the admin configured locally. The URL comes only
/// from the local config file, never from a message or a peer (DESIGN.md, the ConnectToHub lesson);
/// no redirects are followed.</summary>
public sealed class WebhookAlertSink(AlertOptions options, HttpClient http) : IAlertSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A client for webhooks: short timeout, no redirects, no cookies.</summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(10) };

    public async Task SendAsync(Alert alert, CancellationToken ct)
    {
        if (options.Webhook is null) return;
        var body = new WebhookPayload(alert.Kind, alert.Subject, alert.Detail, alert.Source, alert.Time, options.InstanceId, options.Hostname);
        using var response = await http.PostAsJsonAsync(options.Webhook, body, Json, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The JSON a webhook receives (docs/incident-response.md).</summary>
    public sealed record WebhookPayload(string Kind, string Subject, string Detail, string Source, DateTimeOffset Time, string Instance, string Hostname);
}
