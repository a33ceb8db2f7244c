using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A loopback HTTP endpoint (the BCL's HttpListener, not our code) that records every JSON
/// body POSTed to it, standing in for the admin's alert webhook.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];

    public WebhookReceiver()
    {
        var port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/vigil-alerts/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Waits for a POSTed alert of <paramref name="kind"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string kind, string subject = "", TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var match = _seen.FirstOrDefault(e => e.GetProperty("kind").GetString() == kind && e.GetProperty("subject").GetString()!.Contains(subject, StringComparison.Ordinal));
            if (match.ValueKind != JsonValueKind.Undefined) return match;
            try
            {
                _seen.Add(await _received.Reader.ReadAsync(cts.Token));
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no webhook for {kind} {subject}; got: {string.Join(" | ", _seen.Select(e => e.GetRawText()))}");
            }
        }
    }

    public IReadOnlyList<JsonElement> Drain()
    {
        while (_received.Reader.TryRead(out var e)) _seen.Add(e);
        return _seen;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var doc = await JsonDocument.ParseAsync(ctx.Request.InputStream))
            {
                _received.Writer.TryWrite(doc.RootElement.Clone());
            }
            ctx.Response.StatusCode = ctx.Request.HttpMethod == "POST" && ctx.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? 204 : 400;
            ctx.Response.Close();
        }
    }


    public void Dispose() => _listener.Close();
}
