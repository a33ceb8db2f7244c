using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Build;
using Vigil.Ops.Files;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Advisories;

/// <summary>Refreshes the feed (fetch, verify, refuse rollback, store) and assesses this build
/// against it. Used by the server's schedule, by <c>vigil advisories check</c> and by the fleet's
/// check-now action; a lock file keeps the CLI and the server from racing on the state.</summary>
public sealed partial class AdvisoryService(
    AdvisoryStore store,
    TrustedKeyStore trustedKeys,
    FeedFetcher fetcher,
    AdvisoryOptions options,
    BuildIdentity build,
    IAuditLog audit,
    TimeProvider time,
    ILogger<AdvisoryService> logger)
{
    public AdvisoryOptions Options => options;

    public AdvisoryKeyring Keyring() => trustedKeys.Keyring();

    /// <summary>The feed in force (the last accepted one, verified again), or null.</summary>
    public AdvisoryFeed? CurrentFeed() => store.LoadFeed(trustedKeys.Keyring()).Feed?.Feed;

    public AdvisoryAssessment Assess()
    {
        var (feed, _) = store.LoadFeed(trustedKeys.Keyring());
        return AdvisoryAssessment.Of(build.BuildNumber, feed, store.LoadState(), time.GetUtcNow(), options.StaleAfter);
    }

    public async Task<RefreshResult> RefreshAsync(string? sourceOverride, Actor by, CancellationToken ct)
    {
        var source = sourceOverride ?? options.Source;
        if (string.IsNullOrWhiteSpace(source)) return new RefreshResult(RefreshOutcome.NotConfigured, null, null, Assess());

        var (bytes, refusal) = await fetcher.FetchAsync(source, options.FetchTimeout, ct);
        using (await AtomicFile.LockAsync(store.Paths.Lock, ct))
        {
            var now = time.GetUtcNow();
            var state = store.LoadState() with { LastAttempt = now };
            VerifiedFeed? verified = null;
            if (refusal is null && bytes is not null)
            {
                refusal = FeedVerifier.Verify(bytes, trustedKeys.Keyring(), out var candidate) ?? FeedVerifier.CheckNotRolledBack(candidate, state);
                verified = candidate;
            }
            if (refusal is not null)
            {
                store.SaveState(state with { LastError = $"{refusal.Code}: {refusal.Message}", LastErrorAt = now });
                LogRefused(logger, source, refusal.Code, refusal.Message);
                await audit.AppendAsync(new AuditEvent(now, by.Name, by.Source, "advisories.feed.refused", source,
                    new Dictionary<string, string> { ["reason"] = refusal.Code, ["message"] = refusal.Message }), ct);
                return new RefreshResult(RefreshOutcome.Refused, source, refusal, Assess());
            }

            var unchanged = state.Serial == verified!.Feed.Serial;
            if (!unchanged) store.SaveFeed(bytes!);
            store.SaveState(state with
            {
                Serial = verified.Feed.Serial,
                PayloadSha256 = verified.PayloadSha256,
                KeyId = verified.Key.KeyId,
                LastRefresh = now,
                LastError = null,
                LastErrorAt = null,
            });
            if (unchanged)
            {
                LogUnchanged(logger, source, verified.Feed.Serial);
                return new RefreshResult(RefreshOutcome.Unchanged, source, null, Assess());
            }
            LogAccepted(logger, source, verified.Feed.Serial, verified.Key.KeyId, verified.Feed.Advisories.Count);
            await audit.AppendAsync(new AuditEvent(now, by.Name, by.Source, "advisories.feed.accepted", source,
                new Dictionary<string, string>
                {
                    ["serial"] = verified.Feed.Serial.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["keyId"] = verified.Key.KeyId,
                    ["previousSerial"] = state.Serial?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
                }), ct);
            return new RefreshResult(RefreshOutcome.Accepted, source, null, Assess());
        }
    }

    /// <summary>Adds a feed key (an internal mirror's) to the trusted set; audited.</summary>
    public async Task<TrustedKey> TrustAsync(string keyFileText, string comment, Actor by, CancellationToken ct)
    {
        if (!PublicKeyFile.TryParse(keyFileText, out var publicKey, out var error)) throw new FormatException(error);
        using (await AtomicFile.LockAsync(store.Paths.Lock, ct))
        {
            var existing = trustedKeys.Load();
            var key = new TrustedKey(KeyId.Of(publicKey), publicKey, KeyOrigin.Admin, comment, time.GetUtcNow());
            if (existing.Any(k => k.KeyId == key.KeyId) || VendorKey.Pinned?.KeyId == key.KeyId) return key;
            trustedKeys.Save([.. existing, key]);
            LogTrusted(logger, key.KeyId, comment);
            await audit.AppendAsync(new AuditEvent(key.AddedAt!.Value, by.Name, by.Source, "advisories.key.trusted", key.KeyId,
                new Dictionary<string, string> { ["comment"] = comment, ["publicKey"] = Convert.ToBase64String(publicKey) }), ct);
            return key;
        }
    }

    /// <summary>Removes an admin-trusted key (the pinned vendor key cannot be removed); audited.</summary>
    public async Task<bool> UntrustAsync(string keyId, Actor by, CancellationToken ct)
    {
        using (await AtomicFile.LockAsync(store.Paths.Lock, ct))
        {
            var existing = trustedKeys.Load();
            if (!existing.Any(k => k.KeyId == keyId)) return false;
            trustedKeys.Save(existing.Where(k => k.KeyId != keyId));
            LogUntrusted(logger, keyId);
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), by.Name, by.Source, "advisories.key.untrusted", keyId), ct);
            return true;
        }
    }

    [LoggerMessage(EventId = 9001, EventName = "advisories.feed_refused", Level = LogLevel.Error, Message = "Advisory feed from {Source} refused ({Reason}): {Detail}. The previous feed stays in force.")]
    private static partial void LogRefused(ILogger logger, string source, string reason, string detail);

    [LoggerMessage(EventId = 9002, EventName = "advisories.feed_accepted", Level = LogLevel.Information, Message = "Advisory feed serial {Serial} from {Source} accepted (key {KeyId}, {Count} advisories)")]
    private static partial void LogAccepted(ILogger logger, string source, long serial, string keyId, int count);

    [LoggerMessage(EventId = 9003, EventName = "advisories.feed_unchanged", Level = LogLevel.Debug, Message = "Advisory feed from {Source} unchanged at serial {Serial}")]
    private static partial void LogUnchanged(ILogger logger, string source, long serial);

    [LoggerMessage(EventId = 9004, EventName = "advisories.key_trusted", Level = LogLevel.Warning, Message = "Advisory feed key {KeyId} is now trusted ({Comment})")]
    private static partial void LogTrusted(ILogger logger, string keyId, string comment);

    [LoggerMessage(EventId = 9005, EventName = "advisories.key_untrusted", Level = LogLevel.Warning, Message = "Advisory feed key {KeyId} is no longer trusted")]
    private static partial void LogUntrusted(ILogger logger, string keyId);
}
