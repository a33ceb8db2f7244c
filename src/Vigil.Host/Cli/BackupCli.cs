using System.CommandLine;
using Vigil.Host.Config;
using Vigil.Ops.Backup;
using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Format;
using Vigil.Ops.Backup.Targets;
using Vigil.Security.Keys;

namespace Vigil.Host.Cli;

/// <summary>What the <c>vigil backup</c> commands share: options, opening a target, trust, and
/// running with Ctrl-C turned into "interrupted, run again to resume".</summary>
internal static class BackupCli
{
    public const int Interrupted = 130;
    public const int Damaged = 2;

    public static Option<string?> KeyFile() => new("--key-file") { Description = "AES-256-GCM key file of an encrypted target (keep it apart from the target)" };

    public static Option<string[]> TrustKey() => new("--trust-key")
    {
        Description = "Also trust manifests signed by this Ed25519 public key (base64); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The instance context when --data/$VIGIL_DATA names an initialised data directory;
    /// list, verify and prune also work without one (on a backup host).</summary>
    public static CliContext? TryContext(ParseResult parse)
    {
        var dir = DataDirectory.Resolve(parse.GetValue(CliApp.Data));
        return dir is not null && new DataDirectory(dir).IsInitialised ? CliContext.Open(dir) : null;
    }

    public static string TargetOf(string? given, CliContext? ctx, string optionName) =>
        given ?? ctx?.Config.Backup.ResolvedAgainst(ctx.Data.Root).Target ?? throw new UserErrorException($"no target: pass {optionName} TARGET or set backup.target in vigil.json");

    public static BackupKey? Key(string? given, CliContext? ctx) =>
        BackupRunner.LoadKey(given ?? ctx?.Config.Backup.ResolvedAgainst(ctx.Data.Root).KeyFile);

    /// <summary>Trusted signers: the target's creator, this instance (if any), config and command line.</summary>
    public static ManifestTrust Trust(BackupRepository repo, CliContext? ctx, IEnumerable<string> extra)
    {
        if (ctx is not null) return ctx.Get<BackupRunner>().Trust(repo, extra);
        var trust = new ManifestTrust().Add(repo.Header.CreatorPublicKey, "the target's creator");
        foreach (var k in extra) trust.Add(k, "command line");
        return trust;
    }

    public static async Task<BackupRepository> OpenAsync(string target, BackupKey? key, CancellationToken ct, bool keyOptional = false)
    {
        var t = BackupTargets.Open(target);
        try
        {
            return await BackupRepository.OpenAsync(t, key, ct, keyOptional);
        }
        catch
        {
            await t.DisposeAsync();
            throw;
        }
    }

    public static RestorePointId ParseId(string value) =>
        RestorePointId.TryParse(value, out var id) ? id : throw new UserErrorException($"'{value}' is not a restore point id (see 'vigil backup list')");

    /// <summary>Runs a long operation: progress on stderr, Ctrl-C ends it cleanly with a hint to
    /// resume, verification failures and I/O problems are one line each.</summary>
    public static void SetBackupAction(this Command command, Func<ParseResult, ConsoleProgress, CancellationToken, Task<int>> body) =>
        command.SetGuardedAction(async (parse, ct) =>
        {
            var progress = new ConsoleProgress();
            try
            {
                return await body(parse, progress, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                progress.Finish();
                Console.Error.WriteLine("vigil: interrupted; everything already copied is kept; run the same command again to continue where it stopped");
                return Interrupted;
            }
            catch (BackupVerificationException ex)
            {
                progress.Finish();
                Console.Error.WriteLine($"vigil: refused: {ex.File} does not verify: {ex.Problem}");
                return Damaged;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or Amazon.Runtime.AmazonServiceException)
            {
                progress.Finish();
                return CliApp.Fail(ex.Message);
            }
            finally
            {
                progress.Finish();
            }
        });

    public static string Fingerprint(InstanceKey key) => ManifestTrust.Fingerprint(Convert.ToBase64String(key.PublicKey));
}
