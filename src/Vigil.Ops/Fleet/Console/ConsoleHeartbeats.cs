using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Alerts;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Console;

/// <summary>The console's side of heartbeats: authenticates the member by its pinned key, refuses
/// stale or replayed heartbeats (each must be fresh and newer than the last), checks that the
/// member's audit log continues from what it reported before (an alert if not), stores it, records
/// the member's action results, and answers with any queued actions.</summary>
public sealed partial class ConsoleHeartbeats(
    FleetIdentity identity,
    FleetOptions options,
    MemberRegistry members,
    ActionOutbox outbox,
    IAuditLog audit,
    AlertDispatcher dispatcher,
    TimeProvider time,
    ILogger<ConsoleHeartbeats> logger)
{
    public const string AlertSource = "fleet-console";

    /// <summary>For the HTTP layer's authentication: the member whose pinned key signed this
    /// heartbeat envelope, or null.</summary>
    public (MemberRecord Member, SignedEnvelope Envelope)? Authenticate(ReadOnlySpan<byte> body)
    {
        if (!SignedEnvelope.TryParse(body, out var envelope, out _)) return null;
        var member = members.Get(envelope.KeyId);
        if (member is null || !envelope.IsSignedBy(MessageFormats.Heartbeat, member.PublicKeyBytes)) return null;
        return (member, envelope);
    }

    public async Task<FleetResponse> ReceiveAsync(MemberRecord member, SignedEnvelope envelope, string remote, CancellationToken ct)
    {
        var heartbeat = JsonText.HasControlCharacters(envelope.Payload) ? null : FleetJson.Deserialize<Heartbeat>(envelope.Payload);
        if (heartbeat is null || heartbeat.MemberId != member.MemberId)
            return await RefuseAsync(member.MemberId, 400, "not a heartbeat of this member", remote, ct);
        var now = time.GetUtcNow();
        if ((now - heartbeat.SentAt).Duration() > options.Freshness)
            return await RefuseAsync(member.MemberId, 409, "heartbeat is not fresh (replayed, or clocks differ by more than 5 minutes)", remote, ct);
        var last = members.LastHeartbeat(member.MemberId);
        if (last is not null && heartbeat.SentAt <= last.Heartbeat.SentAt)
            return await RefuseAsync(member.MemberId, 409, "heartbeat is not newer than the last one (replayed)", remote, ct);

        var auditProblem = AuditContinuity.Check(last?.Heartbeat.Audit, heartbeat.Audit);
        members.SaveHeartbeat(member.MemberId, new StoredHeartbeat(now, remote, heartbeat, auditProblem ?? last?.AuditProblem));
        if (auditProblem is not null)
            await dispatcher.RaiseAsync(new Alert(AlertKinds.FleetAuditBroken, $"{heartbeat.Hostname} ({member.MemberId[..12]})", auditProblem, AlertSource, now), ct);
        if (last is null) LogFirst(logger, member.MemberId, heartbeat.Hostname, remote);
        await ForwardAlertsAsync(member, heartbeat, last?.Heartbeat, now, ct);
        await RecordResultsAsync(member.MemberId, heartbeat.ActionResults, ct);
        var actions = await outbox.TakeAsync(member.MemberId, ct);
        var reply = new HeartbeatReply(member.MemberId, heartbeat.Nonce, now, actions.Select(Convert.ToBase64String).ToArray());
        return FleetResponse.Signed(identity.Sign(MessageFormats.HeartbeatReply, reply));
    }

    /// <summary>Raises, on the console's own sinks, each alert of the member not in its previous
    /// heartbeat. A distinct kind, so a member's program-file alert never locks the console down.</summary>
    private async Task ForwardAlertsAsync(MemberRecord member, Heartbeat heartbeat, Heartbeat? previous, DateTimeOffset now, CancellationToken ct)
    {
        if (heartbeat.Alerts is not { Count: > 0 } raised) return;
        var seen = previous?.Alerts?.ToHashSet() ?? [];
        foreach (var a in raised.Where(a => !seen.Contains(a)).Take(RecentAlerts.Keep))
        {
            await dispatcher.RaiseAsync(new Alert(AlertKinds.FleetMemberAlert, $"{heartbeat.Hostname} ({member.MemberId[..12]})",
                $"{a.Kind}: {a.Subject} — {a.Detail} (from {a.Source} at {a.Time:yyyy-MM-ddTHH:mm:ssZ})", AlertSource, now), ct);
        }
    }

    private async Task RecordResultsAsync(string memberId, IReadOnlyList<ActionResult> results, CancellationToken ct)
    {
        if (results.Count == 0) return;
        var recorded = members.RecordedResults(memberId);
        var fresh = results.Where(r => KeyId.IsWellFormed(r.ActionId) && !recorded.Contains(r.ActionId)).Take(100).ToArray();
        foreach (var r in fresh)
        {
            LogResult(logger, memberId, r.ActionId, r.Action, r.Outcome, r.Detail);
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), memberId, "fleet", "fleet.action.result", memberId,
                new Dictionary<string, string> { ["actionId"] = r.ActionId, ["action"] = r.Action, ["outcome"] = r.Outcome, ["detail"] = r.Detail }), ct);
            recorded.Add(r.ActionId);
        }
        if (fresh.Length > 0) members.SaveRecordedResults(memberId, recorded);
    }

    private async Task<FleetResponse> RefuseAsync(string memberId, int status, string reason, string remote, CancellationToken ct)
    {
        LogRefused(logger, memberId, remote, reason);
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), memberId, "fleet", "fleet.heartbeat.refused", memberId,
            new Dictionary<string, string> { ["reason"] = reason, ["remote"] = remote }), ct);
        return FleetResponse.Refused(status, reason);
    }

    [LoggerMessage(EventId = 9103, EventName = "fleet.member_first_heartbeat", Level = LogLevel.Information, Message = "Fleet member {MemberId} ({Hostname}) reported for the first time from {Remote}")]
    private static partial void LogFirst(ILogger logger, string memberId, string hostname, string remote);

    [LoggerMessage(EventId = 9104, EventName = "fleet.heartbeat_refused", Level = LogLevel.Warning, Message = "Heartbeat of fleet member {MemberId} from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string memberId, string remote, string reason);

    [LoggerMessage(EventId = 9105, EventName = "fleet.action_result", Level = LogLevel.Information, Message = "Fleet member {MemberId} reports action {ActionId} ({Action}): {Outcome}, {Detail}")]
    private static partial void LogResult(ILogger logger, string memberId, string actionId, string action, string outcome, string detail);
}
