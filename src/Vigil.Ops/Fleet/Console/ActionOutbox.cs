using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Files;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Console;

/// <summary>Actions the console has signed for a member and not yet delivered
/// (<c>members/ID/outbox/ACTIONID.json</c>). The CLI issues them; the next heartbeat reply carries
/// them; one that waited longer than the freshness window expires unsent, because the member
/// would refuse it anyway.</summary>
public sealed partial class ActionOutbox(FleetPaths paths, FleetIdentity identity, FleetOptions options, MemberRegistry members, IAuditLog audit, TimeProvider time, ILogger<ActionOutbox> logger)
{
    public async Task<ActionMessage> IssueAsync(string memberId, FleetAction action, Actor by, CancellationToken ct)
    {
        if (members.Get(memberId) is null) throw new KeyNotFoundException($"no enrolled member {memberId}");
        var message = new ActionMessage(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), memberId, action.ToWire(), time.GetUtcNow());
        var envelope = identity.Sign(MessageFormats.Action, message);
        AtomicFile.WriteAllBytes(Path.Combine(paths.MemberOutbox(memberId), message.Id + ".json"), envelope.ToJson());
        await audit.AppendAsync(new AuditEvent(message.IssuedAt, by.Name, by.Source, "fleet.action.issued", memberId,
            new Dictionary<string, string> { ["action"] = message.Action, ["actionId"] = message.Id }), ct);
        return message;
    }

    /// <summary>Takes every deliverable action out of the member's outbox (moving it to sent/),
    /// expiring the ones that are too old.</summary>
    internal async Task<IReadOnlyList<byte[]>> TakeAsync(string memberId, CancellationToken ct)
    {
        var outbox = paths.MemberOutbox(memberId);
        if (!Directory.Exists(outbox)) return [];
        var deliver = new List<byte[]>();
        foreach (var file in Directory.GetFiles(outbox, "*.json").Order(StringComparer.Ordinal))
        {
            var bytes = await File.ReadAllBytesAsync(file, ct);
            Directory.CreateDirectory(paths.MemberSent(memberId));
            File.Move(file, Path.Combine(paths.MemberSent(memberId), Path.GetFileName(file)), overwrite: true);
            var message = SignedEnvelope.TryParse(bytes, out var envelope, out _) ? FleetJson.Deserialize<ActionMessage>(envelope.Payload) : null;
            if (message is null) continue;
            var expired = time.GetUtcNow() - message.IssuedAt > options.Freshness;
            if (expired)
            {
                LogExpired(logger, message.Id, message.Action, memberId);
            }
            else
            {
                deliver.Add(bytes);
            }
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "system", "fleet", expired ? "fleet.action.expired" : "fleet.action.delivered", memberId,
                new Dictionary<string, string> { ["action"] = message.Action, ["actionId"] = message.Id }), ct);
        }
        return deliver;
    }

    [LoggerMessage(EventId = 9111, EventName = "fleet.action_expired", Level = LogLevel.Warning, Message = "Fleet action {ActionId} ({Action}) for {MemberId} expired before the member asked for it")]
    private static partial void LogExpired(ILogger logger, string actionId, string action, string memberId);
}
