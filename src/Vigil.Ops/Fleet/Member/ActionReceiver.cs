using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Member;

/// <summary>A member's gate for console actions. An action runs only if it is signed by the
/// console key pinned at enrollment, addressed to this member, fresh (issued within 5 minutes),
/// never seen before, and one of the enumerated actions with a registered handler. Nothing in the
/// message other than the action's name is acted on. Every outcome is logged and audited.</summary>
public sealed partial class ActionReceiver(
    FleetIdentity identity,
    FleetOptions options,
    SeenActions seen,
    ActionResults results,
    IEnumerable<IFleetActionHandler> handlers,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ActionReceiver> logger)
{
    private readonly Dictionary<FleetAction, IFleetActionHandler> _handlers = handlers.ToDictionary(h => h.Action);

    /// <summary>Verifies and, if everything holds, carries out one action envelope.</summary>
    public async Task<ActionResult?> ReceiveAsync(Membership membership, ReadOnlyMemory<byte> envelopeBytes, CancellationToken ct)
    {
        if (!SignedEnvelope.TryParse(envelopeBytes.Span, out var envelope, out var error))
            return await RefuseAsync(null, "?", $"malformed: {error}", report: false, ct);
        if (envelope.KeyId != membership.ConsoleId || !envelope.IsSignedBy(MessageFormats.Action, membership.ConsolePublicKeyBytes))
            return await RefuseAsync(null, "?", $"not signed by the pinned console key (signed by {envelope.KeyId})", report: false, ct);

        var message = JsonText.HasControlCharacters(envelope.Payload) ? null : FleetJson.Deserialize<ActionMessage>(envelope.Payload);
        if (message is null || !KeyId.IsWellFormed(message.Id))
            return await RefuseAsync(null, "?", "signed, but not an action message", report: false, ct);
        var name = Printable(message.Action);
        if (message.MemberId != identity.Id)
            return await RefuseAsync(message.Id, name, $"addressed to member {message.MemberId}, not to this one", report: false, ct);
        if ((time.GetUtcNow() - message.IssuedAt).Duration() > options.Freshness)
            return await RefuseAsync(message.Id, name, $"not fresh (issued {message.IssuedAt:u})", report: true, ct);
        if (!await seen.TryRecordAsync(message.Id, message.IssuedAt + 2 * options.Freshness, ct))
            return await RefuseAsync(message.Id, name, "replayed (this action id was already received)", report: false, ct);
        if (!FleetActionNames.TryParse(message.Action, out var action) || !_handlers.TryGetValue(action, out var handler))
            return await RefuseAsync(message.Id, name, "unknown action (not in the set this member carries out)", report: true, ct);

        LogAccepted(logger, message.Id, name, membership.ConsoleId);
        await AuditAsync("fleet.action.accepted", membership.ConsoleId, message.Id, name, null, ct);
        ActionResult result;
        try
        {
            var detail = await handler.ExecuteAsync(new FleetActionContext(message.Id, action, membership.ConsoleId, message.IssuedAt), ct);
            result = new ActionResult(message.Id, name, "done", detail, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new ActionResult(message.Id, name, "failed", ex.Message, time.GetUtcNow());
        }
        LogResult(logger, message.Id, name, result.Outcome, result.Detail);
        await AuditAsync($"fleet.action.{result.Outcome}", membership.ConsoleId, message.Id, name, result.Detail, ct);
        results.Add(result);
        return result;
    }

    private async Task<ActionResult?> RefuseAsync(string? actionId, string action, string reason, bool report, CancellationToken ct)
    {
        LogRefused(logger, actionId ?? "?", action, reason);
        await AuditAsync("fleet.action.refused", "unverified", actionId ?? "?", action, reason, ct);
        if (!report || actionId is null) return null;
        var result = new ActionResult(actionId, action, "refused", reason, time.GetUtcNow());
        results.Add(result);
        return result;
    }

    private Task AuditAsync(string what, string actor, string actionId, string action, string? detail, CancellationToken ct)
    {
        var details = new Dictionary<string, string> { ["actionId"] = actionId, ["action"] = action };
        if (detail is not null) details["detail"] = detail;
        return audit.AppendAsync(new AuditEvent(time.GetUtcNow(), actor, "fleet", what, identity.Id, details), ct);
    }

    private static string Printable(string s) => new(s.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [LoggerMessage(EventId = 9130, EventName = "fleet.action_refused", Level = LogLevel.Warning, Message = "Fleet action {ActionId} ({Action}) refused: {Reason}; nothing was executed")]
    private static partial void LogRefused(ILogger logger, string actionId, string action, string reason);

    [LoggerMessage(EventId = 9131, EventName = "fleet.action_accepted", Level = LogLevel.Warning, Message = "Fleet action {ActionId} ({Action}) from console {ConsoleId} accepted")]
    private static partial void LogAccepted(ILogger logger, string actionId, string action, string consoleId);

    [LoggerMessage(EventId = 9132, EventName = "fleet.action_result", Level = LogLevel.Information, Message = "Fleet action {ActionId} ({Action}) {Outcome}: {Detail}")]
    private static partial void LogResult(ILogger logger, string actionId, string action, string outcome, string detail);
}
