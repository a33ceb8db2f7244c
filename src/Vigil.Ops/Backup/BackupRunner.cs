using System.Globalization;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Backup.Create;
using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Progress;
using Vigil.Ops.Backup.Retention;
using Vigil.Ops.Backup.Scheduling;
using Vigil.Ops.Backup.Targets;
using Vigil.Ops.Backup.Verify;

namespace Vigil.Ops.Backup;

/// <summary>Who started an operation, for the audit log.</summary>
public sealed record RunOrigin(string Actor, string Source)
{
    public static readonly RunOrigin Scheduler = new("vigil", "scheduler");
    public static RunOrigin Cli => new(Environment.UserName, "cli");
}

/// <summary>Backup operations of this instance as the CLI and the scheduler run them: each is
/// audited with its result and recorded in <see cref="BackupState"/> (status, metrics, fleet).</summary>
public sealed partial class BackupRunner(BackupSource source, BackupSettings settings, IAuditLog audit, BackupStateStore state, ILogger<BackupRunner> logger)
{
    public BackupSettings Settings => settings;

    public async Task<BackupManifest> CreateAsync(string target, RunOrigin origin, string? keyFile, bool? compress, IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        await state.UpdateAsync(s => s with { LastAttempt = DateTimeOffset.UtcNow, Target = target }, ct);
        try
        {
            await using var t = BackupTargets.Open(target);
            var options = new CreateOptions(compress ?? settings.Compress, LoadKey(keyFile ?? settings.KeyFile), settings.Parallelism) { CompressionExplicit = compress is not null };
            var manifest = await new BackupCreator(source, logger).CreateAsync(t, options, progress, ct);
            await state.UpdateAsync(s => s with { LastSuccess = manifest.Created, LastPoint = manifest.Id, LastNewBytes = manifest.Stats.NewBytes, LastDurationMs = manifest.Stats.DurationMs }, CancellationToken.None);
            await AuditAsync(origin, "backup.create", target, CancellationToken.None,
                ("result", "ok"), ("point", manifest.Id), ("messages", Num(manifest.Stats.Messages)), ("new_bytes", Num(manifest.Stats.NewBytes)), ("new_blobs", Num(manifest.Stats.NewObjects)));
            return manifest;
        }
        catch (OperationCanceledException)
        {
            await AuditAsync(origin, "backup.create", target, CancellationToken.None, ("result", "interrupted"));
            throw;
        }
        catch (Exception ex)
        {
            await state.UpdateAsync(s => s with { LastErrorAt = DateTimeOffset.UtcNow, LastError = ex.Message }, CancellationToken.None);
            await AuditAsync(origin, "backup.create", target, CancellationToken.None, ("result", "failed"), ("error", ex.Message));
            LogFailed(logger, "create", target, ex.Message);
            throw;
        }
    }

    /// <summary>Verifies the given points (all complete points when null); records each result in
    /// the target and the state, and audits the outcome.</summary>
    public async Task<IReadOnlyList<VerifyResult>> VerifyAsync(string target, IReadOnlyList<RestorePointId>? points, IEnumerable<string> extraTrust, RunOrigin origin,
        IProgress<BackupProgress>? progress, CancellationToken ct)
    {
        await using var t = BackupTargets.Open(target);
        var repo = await BackupRepository.OpenAsync(t, null, ct, keyOptional: true);
        var ids = points ?? (await repo.ListPointsAsync(ct)).Where(p => p.IsComplete).Select(p => p.Id).ToList();
        var verifier = new BackupVerifier(repo, Trust(repo, extraTrust), settings.Parallelism);
        var results = new List<VerifyResult>();
        foreach (var id in ids)
        {
            var result = await verifier.VerifyAsync(id, progress, ct);
            await VerificationRecord.TryWriteAsync(t, result, ct);
            results.Add(result);
        }
        var firstBad = results.FirstOrDefault(r => !r.Ok);
        var problem = firstBad is null ? null : $"{firstBad.Id}: {firstBad.Problems[0].File}: {firstBad.Problems[0].Problem}";
        await state.UpdateAsync(s => s with { LastVerify = DateTimeOffset.UtcNow, LastVerifyOk = firstBad is null, LastVerifyProblem = problem }, CancellationToken.None);
        await AuditAsync(origin, "backup.verify", target, CancellationToken.None,
            ("result", firstBad is null ? "ok" : "failed"), ("points", Num(results.Count)), ("problem", problem ?? ""));
        if (problem is not null) LogFailed(logger, "verify", target, problem);
        return results;
    }

    public async Task<PruneResult> PruneAsync(string target, TimeSpan grace, bool dryRun, RunOrigin origin, CancellationToken ct)
    {
        await using var t = BackupTargets.Open(target);
        var repo = await BackupRepository.OpenAsync(t, null, ct, keyOptional: true);
        var result = await new TargetPruner(repo, Trust(repo, []), logger).PruneAsync(settings.Retention, grace, dryRun, ct);
        if (!dryRun)
        {
            await state.UpdateAsync(s => s with { LastPrune = DateTimeOffset.UtcNow }, CancellationToken.None);
            await AuditAsync(origin, "backup.prune", target, CancellationToken.None,
                ("removed_points", string.Join(' ', result.RemovedPoints)), ("removed_objects", Num(result.RemovedObjects)), ("removed_bytes", Num(result.RemovedBytes)));
        }
        return result;
    }

    /// <summary>This instance's key, the key that created the target, and any configured or given keys.</summary>
    public ManifestTrust Trust(BackupRepository repo, IEnumerable<string> extra)
    {
        var trust = new ManifestTrust().Add(source.Signer.PublicKey, "this instance").Add(repo.Header.CreatorPublicKey, "the target's creator");
        foreach (var k in settings.TrustedKeys) trust.Add(k, "config");
        foreach (var k in extra) trust.Add(k, "command line");
        return trust;
    }

    public Task AuditAsync(RunOrigin origin, string action, string target, CancellationToken ct, params (string Key, string Value)[] details) =>
        audit.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, origin.Actor, origin.Source, action, target, details.ToDictionary(d => d.Key, d => d.Value)), ct);

    public static BackupKey? LoadKey(string? keyFile) => keyFile is null ? null : BackupKey.Load(keyFile);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 11020, EventName = "backup.failed", Level = LogLevel.Error, Message = "Backup {Operation} on {Target} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string operation, string target, string error);
}
