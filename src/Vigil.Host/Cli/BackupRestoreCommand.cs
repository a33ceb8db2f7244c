using System.CommandLine;
using System.Globalization;
using Vigil.Core.Mailboxes;
using Vigil.Core.Storage;
using Vigil.Host.Hosting;
using Vigil.Host.Config;
using Vigil.Ops.Backup;
using Vigil.Ops.Backup.Restore;
using Vigil.Security.Keys;
using Vigil.Security.Tls;
using Vigil.Storage.Sqlite.Backup;

namespace Vigil.Host.Cli;

/// <summary><c>vigil backup restore ID --from TARGET --data NEWDIR</c> (a whole server into a new
/// data directory) and <c>vigil backup restore ID --from TARGET --account ADDRESS [--mailbox NAME]
/// --into FOLDER</c> (one account's mail into a folder of the running server).</summary>
public static class BackupRestoreCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "Restore point (see 'vigil backup list')" };
        var from = new Option<string?>("--from") { Description = "Target directory or s3://bucket/prefix (default: backup.target)" };
        var account = new Option<string?>("--account") { Description = "Restore this account's mail into the running server (--data is then the live data directory)" };
        var mailbox = new Option<string?>("--mailbox") { Description = "With --account: only this mailbox" };
        var into = new Option<string?>("--into") { Description = "With --account: the folder to restore into, next to the live mail" };
        var keyFile = BackupCli.KeyFile();
        var trustKey = BackupCli.TrustKey();
        var command = new Command("restore", "Restore a whole server into a NEW data directory (--data NEWDIR), or one account's mail into a folder of the live server")
            { id, from, account, mailbox, into, keyFile, trustKey };
        command.SetBackupAction(async (parse, progress, ct) =>
        {
            var point = BackupCli.ParseId(parse.GetValue(id)!);
            if (parse.GetValue(account) is { } address)
            {
                var folder = parse.GetValue(into) ?? throw new UserErrorException("--account needs --into FOLDER (the folder the mail is restored into)");
                return await RestoreAccountAsync(parse, point, address, parse.GetValue(mailbox), folder, parse.GetValue(from), parse.GetValue(keyFile), parse.GetValue(trustKey) ?? [], progress, ct);
            }
            if (parse.GetValue(mailbox) is not null || parse.GetValue(into) is not null) throw new UserErrorException("--mailbox and --into go with --account");
            return await RestoreServerAsync(parse, point, parse.GetValue(from), parse.GetValue(keyFile), parse.GetValue(trustKey) ?? [], progress, ct);
        });
        return command;
    }

    private static async Task<int> RestoreServerAsync(ParseResult parse, Ops.Backup.Format.RestorePointId point, string? from, string? keyFile, string[] trustKeys,
        ConsoleProgress progress, CancellationToken ct)
    {
        var dir = DataDirectory.Resolve(parse.GetValue(CliApp.Data)) ?? throw new UserErrorException("a whole-server restore needs --data NEWDIR (a new, empty directory)");
        var target = from ?? throw new UserErrorException("pass --from TARGET (the new data directory has no config to take it from)");
        var data = new DataDirectory(dir);
        if (StatusCommand.ReadRunStatus(data) is not null)
        {
            throw new UserErrorException($"{data.Root} belongs to a running server; a restore only writes into a new, empty directory");
        }
        var repo = await BackupCli.OpenAsync(target, BackupCli.Key(keyFile, null), ct);
        await using var _t = repo.Target;
        var trust = BackupCli.Trust(repo, null, trustKeys);
        var restorer = new ServerRestorer(repo, trust, SqliteSnapshotFiles.Instance);
        var summary = await restorer.RestoreAsync(point, new RestoreLayout(data.Root, data.Database, data.Blobs), progress, ct);
        progress.Finish();
        var regenerated = CompleteDataDirectory(data);

        await using (var ctx = CliContext.Open(data.Root))
        {
            await ctx.AuditAsync("backup.restore", data.Root, ct, new Dictionary<string, string>
            {
                ["point"] = point.Value,
                ["from"] = target,
                ["messages"] = summary.Messages.ToString(CultureInfo.InvariantCulture),
                ["regenerated"] = string.Join(' ', regenerated),
            });
        }
        Console.WriteLine($"restored point {point} into {data.Root}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {summary.Messages:N0} messages in {summary.Accounts:N0} account(s), {summary.Blobs:N0} blobs, every one verified"));
        if (regenerated.Count > 0)
        {
            Console.WriteLine($"  not in the backup (it is not encrypted, so it holds no private keys); created new: {string.Join(", ", regenerated)}");
            Console.WriteLine("  the restored server has a new identity: re-enroll it in the fleet, and verify older points with --trust-key");
        }
        Console.WriteLine($"start it with: vigil serve --data {data.Root}");
        return 0;
    }

    /// <summary>Creates what a data directory needs and an unencrypted point does not carry: the
    /// standard folders, the instance key and a self-signed certificate. Returns what was created.</summary>
    private static List<string> CompleteDataDirectory(DataDirectory data)
    {
        foreach (var d in new[] { data.Root, data.Certs, data.Secrets, data.Audit, data.Blobs, data.Run })
        {
            Directory.CreateDirectory(d);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var created = new List<string>();
        if (!File.Exists(data.InstanceKeyFile))
        {
            InstanceKey.Create(data.InstanceKeyFile);
            created.Add("instance key");
        }
        var config = VigilConfig.Load(data);
        var cert = Hosting.VigilServices.Resolve(data, config.Tls.CertificateFile);
        var key = Hosting.VigilServices.Resolve(data, config.Tls.KeyFile);
        if (!File.Exists(cert) || !File.Exists(key))
        {
            SelfSignedCertificate.Write(config.Hostname, cert, key);
            created.Add("self-signed certificate");
        }
        return created;
    }

    private static async Task<int> RestoreAccountAsync(ParseResult parse, Ops.Backup.Format.RestorePointId point, string address, string? mailbox, string folder,
        string? from, string? keyFile, string[] trustKeys, ConsoleProgress progress, CancellationToken ct)
    {
        await using var ctx = CliContext.Open(parse.GetValue(CliApp.Data));
        var target = BackupCli.TargetOf(from, ctx, "--from");
        var repo = await BackupCli.OpenAsync(target, BackupCli.Key(keyFile, ctx), ct);
        await using var _t = repo.Target;
        var restorer = new MailboxRestorer(repo, BackupCli.Trust(repo, ctx, trustKeys), ctx.Get<ISnapshotFiles>(), ctx.Get<IDirectoryStore>(), ctx.Get<IMessageStore>(),
            ctx.Get<MailboxService>(), ctx.Get<IBlobStore>(), ctx.Get<MailboxEventRelay>().Publish, ctx.Data.BackupStaging, sweepGuard: ctx.Get<IBlobSweepGuard>());
        var result = await restorer.RestoreAsync(point, new MailboxRestoreRequest(address, mailbox, folder), progress, ct);
        progress.Finish();
        await ctx.Get<BackupRunner>().AuditAsync(RunOrigin.Cli, "backup.restore-mailbox", address, ct,
            ("point", point.Value), ("from", target), ("mailbox", mailbox ?? "*"), ("into", folder),
            ("restored", result.Restored.ToString(CultureInfo.InvariantCulture)), ("skipped", result.AlreadyThere.ToString(CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restored {result.Restored:N0} message(s) of {address} from point {point} into:"));
        foreach (var f in result.Folders) Console.WriteLine($"  {f}");
        if (result.AlreadyThere > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {result.AlreadyThere:N0} were already there (an earlier, interrupted run) and were not added twice"));
        return 0;
    }
}
