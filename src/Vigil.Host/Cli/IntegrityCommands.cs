using System.CommandLine;
using System.Text.Json;
using Vigil.Core.Storage;
using Vigil.Host.Hosting;
using Vigil.Ops.Integrity;
using Vigil.Security.Keys;

namespace Vigil.Host.Cli;

/// <summary><c>vigil integrity check|manifest|trust-manifest</c> (docs/incident-response.md).</summary>
public static class IntegrityCommands
{
    /// <summary>Exit code of <c>integrity check</c> when it found something.</summary>
    public const int ExitFindings = 2;

    public static Command Create()
    {
        var group = new Command("integrity", "Check the program files and the data directory for anything that should not be there");
        group.Subcommands.Add(Check());
        group.Subcommands.Add(Manifest());
        group.Subcommands.Add(TrustManifest());
        group.Subcommands.Add(AcceptConfig());
        return group;
    }

    private static Command Check()
    {
        var blobs = new Option<bool>("--blobs") { Description = "Also re-hash every blob, the files and the bodies kept in the database (reads all mail; slow on large stores)" };
        var command = new Command("check", $"Run the integrity scan now; exit 0 when clean, {ExitFindings} on any finding") { blobs };
        command.WithContext((ctx, parse, ct) =>
        {
            var scanner = new IntegrityScanner(IntegrityHosting.Options(ctx.Data, ctx.Config), ctx.Get<IDatabaseBlobs>());
            var result = scanner.Scan(parse.GetValue(blobs), ct);
            Console.WriteLine($"program    {result.ProgramState}");
            Console.WriteLine($"data       {result.DataEntries} entries checked{(parse.GetValue(blobs) ? $", {result.BlobsVerified} blobs re-hashed" : "")}");
            foreach (var f in result.Findings) Console.WriteLine($"FINDING    {f}");
            Console.WriteLine(result.Findings.Count == 0 ? "integrity OK: no findings" : $"{result.Findings.Count} finding(s)");
            return Task.FromResult(result.Findings.Count == 0 ? 0 : ExitFindings);
        });
        return command;
    }

    private static Command Manifest()
    {
        var dir = new Option<string>("--program-dir") { Description = "The published program directory (default: this program's own)" };
        var key = new Option<string>("--key") { Description = "The Ed25519 signing key file (created 0600 if missing)", Required = true };
        var command = new Command("manifest", "Write the signed manifest of a published program (run by 'dotnet publish'; see docs/incident-response.md)") { dir, key };
        command.SetGuardedAction((parse, _) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(dir) ?? AppContext.BaseDirectory);
            if (!Directory.Exists(directory)) throw new UserErrorException($"{directory} does not exist");
            var keyFile = parse.GetValue(key)!;
            if (!File.Exists(keyFile))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
                InstanceKey.Create(keyFile);
                Console.WriteLine($"created signing key {keyFile}");
            }
            using var signing = InstanceKey.Load(keyFile);
            var manifest = ProgramManifest.Create(directory, BuildInfo.Current.ToString(), signing);
            manifest.Save(directory);
            Console.WriteLine($"signed manifest of {manifest.Files.Count} files: {Path.Combine(directory, ProgramManifest.FileName)} (key {manifest.PublicKey})");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command TrustManifest()
    {
        var command = new Command("trust-manifest", "Pin the signing key of the current program manifest (after installing a build signed by a new key); audited");
        command.WithContext(async (ctx, _, ct) =>
        {
            var options = IntegrityHosting.Options(ctx.Data, ctx.Config);
            var manifest = ProgramManifest.Load(options.ProgramDirectory) ?? throw new UserErrorException($"no {ProgramManifest.FileName} in {options.ProgramDirectory}");
            if (!manifest.SignatureValid()) throw new UserErrorException("the manifest's signature does not verify; not trusting it");
            if (options.ManifestKey is not null) throw new UserErrorException("the trusted manifest key is set in vigil.json (integrity.manifestPublicKey); change it there");
            new ManifestPin(options.ManifestPinFile).Save(manifest.PublicKeyBytes);
            await ctx.AuditAsync("integrity.manifest_trusted", ProgramManifest.FileName, ct, new Dictionary<string, string> { ["key"] = manifest.PublicKey, ["build"] = manifest.Build });
            Console.WriteLine($"pinned manifest key {manifest.PublicKey} (build {manifest.Build})");
            return 0;
        });
        return command;
    }

    private static Command AcceptConfig()
    {
        var command = new Command("accept-config", "After editing vigil.json by hand: accept it as Vigil's own (renews its seal); audited with its hash");
        command.WithContext(async (ctx, _, ct) =>
        {
            var options = IntegrityHosting.Options(ctx.Data, ctx.Config);
            var before = new IntegrityScanner(options).CheckConfig();
            using (var key = InstanceKey.Load(ctx.Data.InstanceKeyFile))
            {
                ConfigSeal.Write(ctx.Data.ConfigFile, ctx.Data.ConfigSealFile, key);
            }
            var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(ctx.Data.ConfigFile, ct)));
            await ctx.AuditAsync("config.accepted", "vigil.json", ct, new Dictionary<string, string> { ["sha256"] = sha256, ["was"] = before?.Detail ?? "sealed" });
            Console.WriteLine($"vigil.json accepted (sha256 {sha256}); restart the server for changes to take effect");
            return 0;
        });
        return command;
    }

    /// <summary>The integrity lines of <c>vigil status</c>: the running server's last result; false on findings.</summary>
    public static Task<bool> StatusSection(CliContext ctx, CancellationToken ct)
    {
        var file = IntegrityHosting.Options(ctx.Data, ctx.Config).StatusFile;
        if (StatusCommand.ReadRunStatus(ctx.Data) is null || !File.Exists(file))
        {
            Console.WriteLine("integrity  not watched (server not running); 'vigil integrity check' scans now");
            return Task.FromResult(true);
        }
        var status = JsonSerializer.Deserialize<IntegrityStatus>(File.ReadAllText(file), IntegrityStatus.Json)!;
        Console.WriteLine($"integrity  {(status.Findings == 0 ? "clean" : $"{status.Findings} FINDING(S)")}, last full scan {status.LastFullScan:yyyy-MM-ddTHH:mm:ssZ}");
        Console.WriteLine($"program    {status.Program}");
        foreach (var f in status.Active.Take(10)) Console.WriteLine($"finding    {f}");
        return Task.FromResult(status.Findings == 0);
    }

    /// <summary>The scheduled-jobs lines of <c>vigil status</c>: every recurring job, all from the config.</summary>
    public static Task<bool> JobsSection(CliContext ctx, CancellationToken ct)
    {
        foreach (var job in IntegrityHosting.ScheduledJobs(ctx.Data, ctx.Config)) Console.WriteLine($"job        {job.Name}");
        return Task.FromResult(true);
    }
}
