using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Member;

/// <summary>While this instance is enrolled, sends a signed heartbeat to its console every
/// interval, checks that the reply is the console's answer to that very heartbeat, and hands any
/// actions in it to the <see cref="ActionReceiver"/>. Enrollment done from the CLI while the
/// server runs is picked up at the next tick.</summary>
public sealed partial class HeartbeatSender(
    FleetIdentity identity,
    FleetOptions options,
    MembershipStore memberships,
    LastReportStore reports,
    HeartbeatFactory factory,
    ActionReceiver receiver,
    IAuditLog audit,
    TimeProvider time,
    ILogger<HeartbeatSender> logger,
    AuditReporter? auditReporter = null) : BackgroundService
{
    public const string HeartbeatPath = "/fleet/v1/heartbeat";
    private FleetHttp? _http;
    private string? _httpPin;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var membership = memberships.Load();
            if (membership is not null) await BeatAsync(membership, stoppingToken);
            await Task.Delay(options.HeartbeatInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        _http?.Dispose();
    }

    /// <summary>One heartbeat and its reply; public for tests.</summary>
    public async Task<bool> BeatAsync(Membership membership, CancellationToken ct)
    {
        var heartbeat = await factory.CreateAsync(ct);
        var body = identity.Sign(MessageFormats.Heartbeat, heartbeat).ToJson();
        int status;
        byte[] reply;
        try
        {
            (status, reply) = await Client(membership).PostAsync(new Uri(membership.ConsoleUrl + HeartbeatPath), body, null, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            Failing(membership.ConsoleUrl, ex.Message);
            return false;
        }
        if (status != 200)
        {
            Failing(membership.ConsoleUrl, $"console answered {status}");
            return false;
        }
        var answer = await OpenReplyAsync(membership, heartbeat, reply, ct);
        if (answer is null) return false;
        auditReporter?.Acknowledge(heartbeat.Audit);
        if (_failing) LogRecovered(logger, membership.ConsoleUrl);
        _failing = false;
        reports.Save(new LastReport(time.GetUtcNow(), true, $"{answer.Actions.Count} action(s) received"));
        foreach (var action in answer.Actions)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(action);
            }
            catch (FormatException)
            {
                continue;
            }
            await receiver.ReceiveAsync(membership, bytes, ct);
        }
        return true;
    }

    private async Task<HeartbeatReply?> OpenReplyAsync(Membership membership, Heartbeat heartbeat, byte[] reply, CancellationToken ct)
    {
        HeartbeatReply? answer = null;
        if (SignedEnvelope.TryParse(reply, out var envelope, out _) && envelope.IsSignedBy(MessageFormats.HeartbeatReply, membership.ConsolePublicKeyBytes))
            answer = FleetJson.Deserialize<HeartbeatReply>(envelope.Payload);
        if (answer is not null && answer.InReplyTo == heartbeat.Nonce && answer.MemberId == identity.Id) return answer;
        LogBadReply(logger, membership.ConsoleUrl);
        reports.Save(new LastReport(time.GetUtcNow(), false, "reply not signed by the pinned console key"));
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "unverified", "fleet", "fleet.reply.refused", membership.ConsoleId,
            new Dictionary<string, string> { ["reason"] = "heartbeat reply not signed by the pinned console key for this heartbeat", ["consoleUrl"] = membership.ConsoleUrl }), ct);
        return null;
    }

    private FleetHttp Client(Membership membership)
    {
        if (_http is null || _httpPin != membership.TlsCertificateSha256)
        {
            _http?.Dispose();
            _http = new FleetHttp(membership.TlsCertificateSha256, TimeSpan.FromSeconds(Math.Clamp(options.HeartbeatInterval.TotalSeconds, 5, 30)));
            _httpPin = membership.TlsCertificateSha256;
        }
        return _http;
    }

    private void Failing(string url, string reason)
    {
        reports.Save(new LastReport(time.GetUtcNow(), false, reason));
        if (!_failing) LogFailed(logger, url, reason);
        _failing = true;
    }

    public override void Dispose()
    {
        _http?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 9140, EventName = "fleet.heartbeat_failed", Level = LogLevel.Warning, Message = "Cannot report to the fleet console at {ConsoleUrl}: {Reason} (will keep trying)")]
    private static partial void LogFailed(ILogger logger, string consoleUrl, string reason);

    [LoggerMessage(EventId = 9141, EventName = "fleet.heartbeat_recovered", Level = LogLevel.Information, Message = "Reporting to the fleet console at {ConsoleUrl} again")]
    private static partial void LogRecovered(ILogger logger, string consoleUrl);

    [LoggerMessage(EventId = 9142, EventName = "fleet.reply_refused", Level = LogLevel.Error, Message = "Reply from {ConsoleUrl} is not signed by the pinned console key for this heartbeat; ignored")]
    private static partial void LogBadReply(ILogger logger, string consoleUrl);
}
