using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Ops.Backup;
using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Retention;
using Vigil.Ops.Backup.Verify;

namespace Vigil.Host.Cli;

/// <summary><c>vigil backup create|list|verify|restore|prune|keygen</c> (docs/backups.md).</summary>
public static class BackupCommands
{
    public static Command Create()
    {
        var group = new Command("backup", "Restore points: create, list, verify, restore, prune");
        group.Subcommands.Add(CreatePoint());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Verify());
        group.Subcommands.Add(BackupRestoreCommand.Create());
        group.Subcommands.Add(Prune());
        group.Subcommands.Add(KeyGen());
        return group;
    }

    private static Command CreatePoint()
    {
        var to = new Option<string?>("--to") { Description = "Target directory or s3://bucket/prefix (default: backup.target in vigil.json)" };
        var keyFile = BackupCli.KeyFile();
        var compress = new Option<bool>("--compress") { Description = "Compress a new target (Brotli); an existing target keeps its setting" };
        var noCompress = new Option<bool>("--no-compress") { Description = "Do not compress a new target" };
        var command = new Command("create", "Make a restore point now, while the server runs: a consistent snapshot plus the blobs the target lacks")
            { to, keyFile, compress, noCompress };
        command.SetBackupAction(async (parse, progress, ct) =>
        {
            await using var ctx = CliContext.Open(parse.GetValue(CliApp.Data));
            var target = BackupCli.TargetOf(parse.GetValue(to), ctx, "--to");
            bool? wantCompress = parse.GetValue(compress) ? true : parse.GetValue(noCompress) ? false : null;
            var m = await ctx.Get<BackupRunner>().CreateAsync(target, RunOrigin.Cli, parse.GetValue(keyFile), wantCompress, progress, ct);
            progress.Finish();
            Console.WriteLine($"restore point {m.Id} created in {target}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Stats.Messages:N0} messages in {m.Stats.Accounts:N0} account(s), {m.Stats.Blobs:N0} blobs, {UserCommands.FormatSize(m.Stats.StoredBytes)} stored{(m.Encrypted ? ", encrypted" : "")}{(m.Compressed ? ", compressed" : "")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  new: {m.Stats.NewObjects:N0} blobs, {UserCommands.FormatSize(m.Stats.NewBytes)} written in {m.Stats.DurationMs / 1000.0:0.0} s"));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var from = new Option<string?>("--from") { Description = "Target directory or s3://bucket/prefix (default: backup.target)" };
        var json = new Option<bool>("--json") { Description = "One JSON array with every point" };
        var trustKey = BackupCli.TrustKey();
        var command = new Command("list", "Every restore point: time, size, new bytes, messages, verification state") { from, json, trustKey };
        command.SetBackupAction(async (parse, _, ct) =>
        {
            await using var ctx = BackupCli.TryContext(parse);
            var target = BackupCli.TargetOf(parse.GetValue(from), ctx, "--from");
            var repo = await BackupCli.OpenAsync(target, null, ct, keyOptional: true);
            await using var _t = repo.Target;
            var trust = BackupCli.Trust(repo, ctx, parse.GetValue(trustKey) ?? []);
            var rows = new List<PointRow>();
            foreach (var point in await repo.ListPointsAsync(ct)) rows.Add(await PointRow.ReadAsync(repo, trust, point, ct));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, BackupJson.Options));
                return 0;
            }
            Console.WriteLine($"{"ID",-20} {"CREATED (UTC)",-20} {"MESSAGES",9} {"SIZE",8} {"NEW",8}  STATE");
            foreach (var r in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id,-20} {(r.Created is { } c ? c.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-"),-20} {(r.Messages is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "-"),9} {(r.Size is { } s ? UserCommands.FormatSize(s) : "-"),8} {(r.NewBytes is { } nb ? UserCommands.FormatSize(nb) : "-"),8}  {r.State}"));
            }
            if (rows.Count == 0) Console.WriteLine("(no restore points)");
            return 0;
        });
        return command;
    }

    /// <summary>One line of <c>backup list</c>.</summary>
    private sealed record PointRow(string Id, bool Complete, DateTimeOffset? Created, long? Messages, long? Accounts, long? Blobs, long? Size, long? NewBytes,
        bool? Encrypted, string Signature, VerificationRecord? LastVerification, string State)
    {
        public static async Task<PointRow> ReadAsync(BackupRepository repo, ManifestTrust trust, PointListing point, CancellationToken ct)
        {
            if (!point.IsComplete) return new(point.Id.Value, false, null, null, null, null, null, null, null, "missing", null, "INCOMPLETE (interrupted or being written)");
            var verification = await VerificationRecord.ReadLatestAsync(repo, point, ct);
            try
            {
                var m = await repo.ReadManifestAsync(point.Id, trust, ct);
                var state = verification is null ? "not verified yet"
                    : verification.Ok ? $"verified OK {verification.Time.UtcDateTime:yyyy-MM-dd HH:mm}"
                    : $"DAMAGED (verify {verification.Time.UtcDateTime:yyyy-MM-dd HH:mm}: {verification.Problems.FirstOrDefault()?.File})";
                return new(m.Id, true, m.Created, m.Stats.Messages, m.Stats.Accounts, m.Stats.Blobs, m.Stats.StoredBytes, m.Stats.NewBytes, m.Encrypted, "ok", verification, state);
            }
            catch (BackupVerificationException ex)
            {
                return new(point.Id.Value, true, null, null, null, null, null, null, null, ex.Problem, verification, "BAD MANIFEST: " + ex.Problem);
            }
        }
    }

    private static Command Verify()
    {
        var from = new Option<string?>("--from") { Description = "Target directory or s3://bucket/prefix (default: backup.target)" };
        var id = new Argument<string?>("id") { Description = "Restore point (default: the newest)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Verify every point (each shared blob is read once)" };
        var trustKey = BackupCli.TrustKey();
        var command = new Command("verify", "Re-read and re-hash every file of a point against its signed manifest; exit 2 naming what is wrong") { from, id, all, trustKey };
        command.SetBackupAction(async (parse, progress, ct) =>
        {
            await using var ctx = BackupCli.TryContext(parse);
            var target = BackupCli.TargetOf(parse.GetValue(from), ctx, "--from");
            var extra = parse.GetValue(trustKey) ?? [];
            IReadOnlyList<RestorePointId>? ids = parse.GetValue(id) is { } given ? [BackupCli.ParseId(given)] : null;
            if (ids is null && !parse.GetValue(all))
            {
                var repoForNewest = await BackupCli.OpenAsync(target, null, ct, keyOptional: true);
                await using (repoForNewest.Target)
                {
                    var newest = (await repoForNewest.ListPointsAsync(ct)).LastOrDefault(p => p.IsComplete) ?? throw new UserErrorException($"{target} has no complete restore point");
                    ids = [newest.Id];
                }
            }
            IReadOnlyList<VerifyResult> results;
            if (ctx is not null)
            {
                results = await ctx.Get<BackupRunner>().VerifyAsync(target, ids, extra, RunOrigin.Cli, progress, ct);
            }
            else
            {
                var repo = await BackupCli.OpenAsync(target, null, ct, keyOptional: true);
                await using var _t = repo.Target;
                var verifier = new BackupVerifier(repo, BackupCli.Trust(repo, null, extra));
                var list = new List<VerifyResult>();
                foreach (var p in ids ?? (await repo.ListPointsAsync(ct)).Where(p => p.IsComplete).Select(p => p.Id).ToList())
                {
                    var r = await verifier.VerifyAsync(p, progress, ct);
                    await VerificationRecord.TryWriteAsync(repo.Target, r, ct);
                    list.Add(r);
                }
                results = list;
            }
            progress.Finish();
            foreach (var r in results)
            {
                if (r.Ok)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Id} OK: {r.Objects:N0} files, {UserCommands.FormatSize(r.Bytes)} re-hashed"));
                    continue;
                }
                Console.WriteLine($"{r.Id} DAMAGED:");
                foreach (var p in r.Problems) Console.WriteLine($"  {p.File}: {p.Problem}");
            }
            if (results.Count == 0) Console.WriteLine("(no restore points)");
            return results.All(r => r.Ok) ? 0 : BackupCli.Damaged;
        });
        return command;
    }

    private static Command Prune()
    {
        var from = new Option<string?>("--from") { Description = "Target directory or s3://bucket/prefix (default: backup.target)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would be removed" };
        var hourly = new Option<int?>("--hourly") { Description = "Points kept per hour (default: config, 48)" };
        var daily = new Option<int?>("--daily") { Description = "Points kept per day (default: config, 14)" };
        var weekly = new Option<int?>("--weekly") { Description = "Points kept per ISO week (default: config, 8)" };
        var grace = new Option<TimeSpan?>("--grace") { Description = "Keep unreferenced blobs and incomplete points younger than this (default 24:00:00)" };
        var trustKey = BackupCli.TrustKey();
        var command = new Command("prune", "Apply retention: remove old points and the blobs no remaining point references (the only command that deletes)")
            { from, dryRun, hourly, daily, weekly, grace, trustKey };
        command.SetBackupAction(async (parse, _, ct) =>
        {
            await using var ctx = BackupCli.TryContext(parse);
            var target = BackupCli.TargetOf(parse.GetValue(from), ctx, "--from");
            var configured = ctx?.Config.Backup.Retention;
            var policy = new RetentionPolicy(parse.GetValue(hourly) ?? configured?.Hourly ?? 48, parse.GetValue(daily) ?? configured?.Daily ?? 14, parse.GetValue(weekly) ?? configured?.Weekly ?? 8);
            var repo = await BackupCli.OpenAsync(target, null, ct, keyOptional: true);
            await using var _t = repo.Target;
            var pruner = new TargetPruner(repo, BackupCli.Trust(repo, ctx, parse.GetValue(trustKey) ?? []));
            var isDry = parse.GetValue(dryRun);
            var result = await pruner.PruneAsync(policy, parse.GetValue(grace) ?? TargetPruner.DefaultGrace, isDry, ct);
            if (ctx is not null && !isDry)
            {
                await ctx.Get<BackupRunner>().AuditAsync(RunOrigin.Cli, "backup.prune", target, ct,
                    ("removed_points", string.Join(' ', result.RemovedPoints)), ("removed_objects", result.RemovedObjects.ToString(CultureInfo.InvariantCulture)));
            }
            var verb = isDry ? "would remove" : "removed";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb} {result.RemovedPoints.Count} point(s), {result.RemovedObjects:N0} file(s), {UserCommands.FormatSize(result.RemovedBytes)}"));
            foreach (var p in result.RemovedPoints) Console.WriteLine($"  {p}");
            if (result.BlobsSkipped) Console.WriteLine("unreferenced blobs were kept: a remaining point could not be read (run 'vigil backup verify --all')");
            return 0;
        });
        return command;
    }

    private static Command KeyGen()
    {
        var file = new Argument<string>("file") { Description = "Where to write the new key (0600); keep it away from the target" };
        var command = new Command("keygen", "Create an AES-256-GCM key file for encrypted backups") { file };
        command.SetGuardedAction((parse, _) =>
        {
            var path = parse.GetValue(file)!;
            BackupKey.Create(path);
            Console.WriteLine($"backup key written to {path} (key id {BackupKey.Load(path).KeyId})");
            Console.WriteLine("keep a copy somewhere safe and apart from the backups: without it they cannot be restored");
            return Task.FromResult(0);
        });
        return command;
    }
}
