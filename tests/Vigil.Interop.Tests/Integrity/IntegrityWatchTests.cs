using System.Net.Http;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Ops.Integrity;
using Vigil.Ops.Lockdown;
using Vigil.Ops.Signing;
using Vigil.Security.Keys;
using Vigil.Storage.Sqlite.Blobs;

namespace Vigil.Interop.Tests.Integrity;

/// <summary>The integrity watch in a running server: each attack step of the incident produces its
/// alert within seconds (the tests shorten the intervals), in the audit log, at the webhook (a
/// loopback HTTP listener), in the admin's mailbox, and as a metric.</summary>
public sealed class IntegrityWatchTests : IAsyncLifetime
{
    private readonly WebhookReceiver _webhook = new();
    private readonly string _program = Directory.CreateTempSubdirectory("vigil-program-").FullName;
    private readonly int _metricsPort = LoopbackPort.Free();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        // A stand-in for the published program: a few files and a manifest signed at "publish".
        await File.WriteAllBytesAsync(Path.Combine(_program, "vigil.dll"), RandomNumberGenerator.GetBytes(4096));
        Directory.CreateDirectory(Path.Combine(_program, "runtimes"));
        await File.WriteAllBytesAsync(Path.Combine(_program, "runtimes", "libsodium.so"), RandomNumberGenerator.GetBytes(2048));
        InstanceKey.Create(Path.Combine(_program, "..", Path.GetFileName(_program) + ".key"));
        using (var publisher = InstanceKey.Load(Path.Combine(_program, "..", Path.GetFileName(_program) + ".key")))
        {
            ProgramManifest.Create(_program, "test build", publisher).Save(_program);
        }
        _server = await StartAsync("alert");
    }

    private Task<TestServer> StartAsync(string response, Action<Host.Config.VigilConfig>? also = null) => TestServer.StartAsync(c =>
    {
        c.Integrity.ScanIntervalSeconds = 3;
        c.Integrity.PrincipalCheckSeconds = 1;
        c.Integrity.ControlPollMilliseconds = 200;
        c.Integrity.ProgramDirectory = _program;
        c.Integrity.BlobBurstCount = 20;
        c.Storage.InlineBodyLimit = 0; // these tests tamper with blob files: every body must be one
        c.Alerts.WebhookUrl = _webhook.Url;
        c.Alerts.Email = "admin@example.test";
        c.Alerts.Response = response;
        c.Ports.Metrics = _metricsPort;
        also?.Invoke(c);
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _webhook.Dispose();
        Directory.Delete(_program, recursive: true);
        File.Delete(Path.Combine(Path.GetDirectoryName(_program)!, Path.GetFileName(_program) + ".key"));
    }

    private Task<ExternalTool.Result> Cli(params string[] args) => VigilCli.RunAsync(_server.Data.Root, args);

    private async Task<Account> AdminInboxAsync() => await _server.Get<IDirectoryStore>().GetAccountAsync("admin", TestServer.Domain, CancellationToken.None)
        ?? await _server.AddUserAsync("admin");

    private async Task DeliverAsync(int count)
    {
        await _server.AddUserAsync("bob");
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", _server.Port("smtp"), SecureSocketOptions.None);
        for (var i = 0; i < count; i++)
        {
            var m = new MimeMessage();
            m.From.Add(MailboxAddress.Parse("carol@remote.test"));
            m.To.Add(MailboxAddress.Parse("bob@example.test"));
            m.Subject = "message " + i;
            m.Body = new TextPart("plain") { Text = $"body {i} {Guid.NewGuid()}" };
            await client.SendAsync(m);
        }
        await client.DisconnectAsync(true);
    }

    /// <summary>The alert is in the audit log as <c>alert.KIND</c>, about <paramref name="subject"/>.</summary>
    private async Task AssertAuditedAsync(string kind, string subject)
    {
        var show = await Cli("audit", "show", "--action", "alert." + kind);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(subject, show.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The Prometheus scrape, retried until it shows <paramref name="pattern"/> (the exporter collects periodically).</summary>
    private async Task<string> MetricsAsync(string pattern)
    {
        using var http = new HttpClient();
        var text = "";
        for (var i = 0; i < 50 && !System.Text.RegularExpressions.Regex.IsMatch(text, pattern); i++)
        {
            await Task.Delay(100);
            text = await http.GetStringAsync($"http://127.0.0.1:{_metricsPort}/metrics");
        }
        return text;
    }

    [Fact]
    public async Task A_clean_instance_with_mail_and_cli_activity_has_no_findings()
    {
        await AdminInboxAsync();
        await DeliverAsync(5);
        Assert.Equal(0, (await Cli("domain", "add", "other.test")).ExitCode);
        Assert.Equal(0, (await Cli("lockdown", "on", "--reason", "drill")).ExitCode);
        Assert.Equal(0, (await Cli("lockdown", "off")).ExitCode);
        Assert.Equal(0, (await Cli("user", "force-reset", "bob@example.test")).ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(4)); // at least one more full scan and the CLI's files settle
        var check = await Cli("integrity", "check", "--blobs");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("integrity OK: no findings", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 files of build test build", check.Stdout, StringComparison.Ordinal);
        Assert.Matches("[5-9] blobs re-hashed", check.Stdout); // 5 messages and the alert mails
        var status = await Cli("status");
        Assert.Contains("integrity  clean", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("job        integrity-scan every 3 s", status.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(_webhook.Drain(), e => e.GetProperty("kind").GetString()!.StartsWith("integrity.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_named_files_dropped_in_the_data_directory_are_alerted_everywhere()
    {
        var admin = await AdminInboxAsync();
        await DeliverAsync(1);
        await _server.Get<IntegrityWatchService>().FirstScan;
        var blobDir = Directory.GetDirectories(Path.Combine(_server.Data.Blobs), "??").First();
        await File.WriteAllTextAsync(Path.Combine(_server.Data.Root, "a8f3kq.exe"), "MZ not really");
        await File.WriteAllTextAsync(Path.Combine(blobDir, "x.ps1"), "Invoke-Expression");
        await File.WriteAllTextAsync(Path.Combine(_server.Data.Certs, "update.sh"), "#!/bin/sh");

        var exe = await _webhook.WaitForAsync("integrity.unexpected_file", "a8f3kq.exe", TimeSpan.FromSeconds(30));
        Assert.Equal("integrity-watch", exe.GetProperty("source").GetString());
        await _webhook.WaitForAsync("integrity.unexpected_file", "x.ps1");
        await _webhook.WaitForAsync("integrity.unexpected_file", "certs/update.sh");

        var audit = (await Cli("audit", "show", "--action", "alert.integrity.")).Stdout;
        Assert.Contains("a8f3kq.exe", audit, StringComparison.Ordinal);
        Assert.Contains("x.ps1", audit, StringComparison.Ordinal);
        var check = await Cli("integrity", "check");
        Assert.Equal(Vigil.Host.Cli.IntegrityCommands.ExitFindings, check.ExitCode);
        Assert.Contains("a8f3kq.exe", check.Stdout, StringComparison.Ordinal);
        const string metric = "vigil_integrity_alerts_total\\{[^}]*kind=\"integrity.unexpected_file\"[^}]*\\} [1-9]";
        Assert.Matches(metric, await MetricsAsync(metric));

        // the admin's mailbox got the alerts, delivered by Vigil itself
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await _server.InboxAsync(admin)).Any(m => m.Subject?.Contains("a8f3kq.exe", StringComparison.Ordinal) == true) && DateTime.UtcNow < deadline) await Task.Delay(200);
        var mail = Assert.Single(await _server.InboxAsync(admin), m => m.Subject?.Contains("a8f3kq.exe", StringComparison.Ordinal) == true);
        Assert.StartsWith("[Vigil ALERT] mail.example.test: integrity.unexpected_file", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Auto-Submitted: auto-generated", System.Text.Encoding.UTF8.GetString(_server.ReadBlob(mail)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_key_set_in_the_config_is_trusted_instead_of_the_first_one_seen()
    {
        // The admin names the release key in vigil.json; the manifest on disk is signed by another
        // (a program replaced together with its manifest before the first start).
        await _server.DisposeAsync();
        var release = Path.Combine(_program, "..", Path.GetFileName(_program) + "-release.key");
        InstanceKey.Create(release);
        using var releaseKey = InstanceKey.Load(release);
        _server = await StartAsync("alert", c => c.Integrity.ManifestPublicKey = Convert.ToBase64String(releaseKey.PublicKey));
        await _server.Get<IntegrityWatchService>().FirstScan;
        await _webhook.WaitForAsync("integrity.manifest_invalid", ProgramManifest.FileName, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("integrity.manifest_pinned", (await Cli("audit", "show")).Stdout, StringComparison.Ordinal);
        var trust = await Cli("integrity", "trust-manifest");
        Assert.NotEqual(0, trust.ExitCode);
        Assert.Contains("integrity.manifestPublicKey", trust.Stderr, StringComparison.Ordinal);

        // signed by the configured key, the same program is clean
        ProgramManifest.Create(_program, "test build", releaseKey).Save(_program);
        var check = await Cli("integrity", "check");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task Program_file_changes_are_alerted_and_can_lock_the_instance_down()
    {
        await _server.DisposeAsync();
        _server = await StartAsync("lockdown");
        await _server.Get<IntegrityWatchService>().FirstScan;
        Assert.Contains("integrity.manifest_pinned", (await Cli("audit", "show")).Stdout, StringComparison.Ordinal);

        await File.WriteAllBytesAsync(Path.Combine(_program, "runtimes", "libsodium.so"), RandomNumberGenerator.GetBytes(2048));
        await _webhook.WaitForAsync("integrity.program_changed", "runtimes/libsodium.so", TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_server.Get<LockdownMonitor>().IsLockedDown && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(_server.Get<LockdownMonitor>().IsLockedDown);
        Assert.Contains("integrity alert (integrity.program_changed)", (await Cli("lockdown", "status")).Stdout, StringComparison.Ordinal);
        await AssertAuditedAsync("integrity.program_changed", "runtimes/libsodium.so");

        await File.WriteAllTextAsync(Path.Combine(_program, "rat.dll"), "remote access");
        await _webhook.WaitForAsync("integrity.program_added", "rat.dll");
        File.Delete(Path.Combine(_program, "vigil.dll"));
        await _webhook.WaitForAsync("integrity.program_removed", "vigil.dll");
        await AssertAuditedAsync("integrity.program_added", "rat.dll");
        await AssertAuditedAsync("integrity.program_removed", "vigil.dll");
    }

    [Fact]
    public async Task Rewriting_a_hundred_blobs_is_a_mass_rewrite_alert_and_each_mismatch_is_found()
    {
        await _server.DisposeAsync();
        _server = await StartAsync("lockdown");
        await _server.AddUserAsync("bob");
        var blobs = _server.Get<IBlobStore>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100; i++)
        {
            await using var w = blobs.CreateWriter();
            await w.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"Subject: {i}\r\n\r\nbody {i}\r\n"), CancellationToken.None);
            ids.Add((await w.CommitAsync(CancellationToken.None)).ToString());
        }
        await _server.Get<IntegrityWatchService>().FirstScan;
        await Task.Delay(500);
        // Only the blobs written here: the server may hold others (an alert mail to the admin).
        var files = Directory.GetFiles(_server.Data.Blobs, "*", SearchOption.AllDirectories).Where(f => ids.Contains(Path.GetFileName(f))).ToList();
        Assert.Equal(100, files.Count);
        foreach (var f in files)
        {
            File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllBytesAsync(f, RandomNumberGenerator.GetBytes(64)); // "encrypted"
        }
        var burst = await _webhook.WaitForAsync("integrity.blob_burst", "blobs/", TimeSpan.FromSeconds(30));
        Assert.Contains("mass encryption", burst.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await _webhook.WaitForAsync("integrity.blob_mismatch", "", TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_server.Get<LockdownMonitor>().IsLockedDown && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(_server.Get<LockdownMonitor>().IsLockedDown, "mass rewrite with response=lockdown locks down");
        await AssertAuditedAsync("integrity.blob_burst", "mass encryption");
        await AssertAuditedAsync("integrity.blob_mismatch", "blobs/");

        var check = await Cli("integrity", "check", "--blobs");
        Assert.Equal(2, check.ExitCode);
        Assert.Contains("100 finding(s)", check.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Writes <paramref name="count"/> blob files nothing references; returns their ids.</summary>
    private async Task<List<BlobId>> WriteBlobsAsync(int count, string tag)
    {
        var blobs = _server.Get<IBlobStore>();
        var ids = new List<BlobId>();
        for (var i = 0; i < count; i++)
        {
            await using var w = blobs.CreateWriter();
            await w.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"Subject: {tag} {i}\r\n\r\nbody {i}\r\n"), CancellationToken.None);
            ids.Add(await w.CommitAsync(CancellationToken.None));
        }
        return ids;
    }

    [Fact]
    public async Task The_sweeper_deleting_a_hundred_bodies_of_deleted_mail_raises_no_alert()
    {
        await _server.DisposeAsync();
        _server = await StartAsync("lockdown", c =>
        {
            c.Storage.DeletedBodyGraceSeconds = 0;
            c.Storage.SweepIntervalSeconds = 3600; // swept by hand below
        });
        var bob = await _server.AddUserAsync("bob");
        var ids = await WriteBlobsAsync(100, "deleted");
        var store = _server.Get<IMessageStore>();
        await store.AppendAsync(ids.Select(id => new NewMessage(bob.Id, Mailbox.Inbox, id, 30, DateTimeOffset.UtcNow, MessageFlags.None, [], "deleted", null)).ToList(), CancellationToken.None);
        var inbox = (await store.GetMailboxAsync(bob.Id, Mailbox.Inbox, CancellationToken.None))!;
        await _server.Get<IntegrityWatchService>().FirstScan;
        var expunged = await store.ExpungeAsync(bob.Id, inbox.Id, Enumerable.Range(1, 100).Select(u => (uint)u).ToList(), CancellationToken.None);
        Assert.Equal(100, expunged.Uids.Count);

        var round = await _server.Get<Vigil.Host.Hosting.BlobSweepService>().SweepNowAsync(CancellationToken.None);
        // At least these 100: the body of an alert mail (alerts.email) whose queue entry ended
        // meanwhile is deleted in the same round when it is due.
        Assert.True(round.Files >= 100, $"{round.Files} files deleted");
        Assert.All(ids, id => Assert.False(File.Exists(Path.Combine(_server.Data.Blobs, id.Hex[..2], id.Hex))));
        await Task.Delay(TimeSpan.FromSeconds(4)); // the deletions' notifications and at least one full scan
        Assert.DoesNotContain(_webhook.Drain(), e => e.GetProperty("kind").GetString()!.StartsWith("integrity.", StringComparison.Ordinal));
        Assert.False(_server.Get<LockdownMonitor>().IsLockedDown);
        var check = await Cli("integrity", "check");
        Assert.True(check.ExitCode == 0, check.ToString());
        var metrics = await MetricsAsync("vigil_deleted_bodies_total");
        Assert.Matches(@"vigil_deleted_bodies_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Matches(@"vigil_deleted_body_bytes_total(\{[^}]*\})? [1-9]", metrics);
        Assert.Contains("vigil_released_bodies", metrics, StringComparison.Ordinal); // its value is per server; others may run in this process
    }

    [Fact]
    public async Task Deleting_a_hundred_blob_files_by_hand_is_a_mass_destruction_alert()
    {
        var ids = await WriteBlobsAsync(100, "by hand");
        await _server.Get<IntegrityWatchService>().FirstScan;
        await Task.Delay(500);
        foreach (var id in ids) File.Delete(Path.Combine(_server.Data.Blobs, id.Hex[..2], id.Hex));
        var burst = await _webhook.WaitForAsync("integrity.blob_burst", "blobs/", TimeSpan.FromSeconds(30));
        Assert.Contains("destruction", burst.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_rewritten_inside_the_database_is_found_by_the_check_and_by_the_watch()
    {
        await _server.DisposeAsync();
        _server = await StartAsync("alert", c =>
        {
            c.Storage.InlineBodyLimit = InlineBlobStore.DefaultInlineLimit; // the default: small bodies are rows of blob_inline
            c.Integrity.VerifyBlobsOnScan = true;
        });
        await AdminInboxAsync();
        await DeliverAsync(1); // MailKit over SMTP: "message 0", a row, not a file
        var db = Path.Combine(_server.Data.Root, "vigil.db");
        var select = await Sqlite3(db, "SELECT id FROM blob_inline WHERE instr(data, CAST('Subject: message 0' AS BLOB)) > 0;");
        var id = select.Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Empty(Directory.GetFiles(_server.Data.Blobs, id, SearchOption.AllDirectories));
        var clean = await Cli("integrity", "check", "--blobs");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Matches("[1-9][0-9]* blobs re-hashed", clean.Stdout);

        var update = await Sqlite3(db, $"UPDATE blob_inline SET data = CAST('Subject: message 0' || char(13,10,13,10) || 'pay up' AS BLOB) WHERE id = '{id}'; SELECT changes();");
        Assert.Equal("1", update.Stdout.Trim());

        var check = await Cli("integrity", "check", "--blobs");
        Assert.Equal(2, check.ExitCode);
        Assert.Contains($"FINDING    integrity.blob_mismatch: vigil.db:blob_inline/{id} — content no longer matches its name", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 finding(s)", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli("integrity", "check")).ExitCode); // without --blobs nothing is re-hashed, as for files
        // The watch's periodic full scan (verifyBlobsOnScan) finds it too, and alerts it.
        var alert = await _webhook.WaitForAsync("integrity.blob_mismatch", $"vigil.db:blob_inline/{id}", TimeSpan.FromSeconds(30));
        Assert.Contains("rewritten", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertAuditedAsync("integrity.blob_mismatch", $"vigil.db:blob_inline/{id}");
    }

    /// <summary>The sqlite3 shell on the live database, as an intruder with file access would use it.</summary>
    private static async Task<ExternalTool.Result> Sqlite3(string db, string sql)
    {
        var result = await ExternalTool.RunAsync("sqlite3", ["-cmd", ".timeout 10000", db, sql]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    [Fact]
    public async Task A_config_change_behind_vigils_back_is_alerted()
    {
        await _server.Get<IntegrityWatchService>().FirstScan;
        await File.AppendAllTextAsync(_server.Data.ConfigFile, "\n");
        var alert = await _webhook.WaitForAsync("integrity.config_changed", "vigil.json", TimeSpan.FromSeconds(30));
        Assert.Contains("changed outside Vigil", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await Cli("integrity", "check")).ExitCode);
        await AssertAuditedAsync("integrity.config_changed", "changed outside Vigil");

        // the admin made that edit: accepting it renews the seal, and the acceptance is audited
        Assert.Equal(0, (await Cli("integrity", "accept-config")).ExitCode);
        Assert.Equal(0, (await Cli("integrity", "check")).ExitCode);
        Assert.Contains("config.accepted", (await Cli("audit", "show", "--action", "config.accepted")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_admin_a_new_trusted_key_and_a_new_route_are_alerts()
    {
        await _server.Get<IntegrityWatchService>().FirstScan;
        await Task.Delay(1500); // the first principal check has taken the baseline
        var add = await Cli("user", "add", "--admin", "boss@example.test");
        Assert.True(add.ExitCode == 0, add.ToString());
        var admin = await _webhook.WaitForAsync("principal.admin_added", "boss@example.test", TimeSpan.FromSeconds(30));
        Assert.Equal("principal-watch", admin.GetProperty("source").GetString());

        // a failed login as an administrator is on the record (one as a plain user is not)
        await _server.AddUserAsync("bob");
        foreach (var who in new[] { "boss@example.test", "bob@example.test" })
        {
            using var imap = new MailKit.Net.Imap.ImapClient { Timeout = 10_000 };
            await imap.ConnectAsync("127.0.0.1", _server.Port("imap"), SecureSocketOptions.None);
            await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(new MailKit.Security.SaslMechanismPlain(who, "a-guess")));
        }
        await _server.Get<Vigil.Security.Auth.AdminLoginFailureAudit>().DrainAsync();
        var failures = await Cli("audit", "show", "--action", "auth.admin_failure");
        Assert.Contains("boss@example.test", failures.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@example.test", failures.Stdout, StringComparison.Ordinal);

        // an admin created behind Vigil's back (straight into the store, no audit entry) is caught too
        await _server.Get<Vigil.Core.Accounts.AccountService>().CreateAsync(new Vigil.Core.Addressing.EmailAddress("ghost", TestServer.Domain), "x-password-1", 0, true, CancellationToken.None);
        await _webhook.WaitForAsync("principal.admin_added", "ghost@example.test");

        using var feedKey = InstanceKeyFor("feed");
        var keyFile = Path.Combine(_server.Data.Root, "..", Guid.NewGuid().ToString("N") + ".pub");
        await File.WriteAllTextAsync(keyFile, PublicKeyFile.Format(feedKey.PublicKey, "mirror"));
        try
        {
            var trust = await Cli("advisories", "trust", keyFile);
            Assert.True(trust.ExitCode == 0, trust.ToString());
            await _webhook.WaitForAsync("principal.trusted_key_added", "");
        }
        finally
        {
            File.Delete(keyFile);
        }
        var route = await Cli("route", "set", "*", "relay.attacker.test:2525");
        Assert.True(route.ExitCode == 0, route.ToString());
        var relay = await _webhook.WaitForAsync("principal.route_added", "relay.attacker.test:2525");
        Assert.Contains("mail for * is routed", relay.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await AssertAuditedAsync("principal.admin_added", "boss@example.test");
        await AssertAuditedAsync("principal.admin_added", "ghost@example.test");
        await AssertAuditedAsync("principal.trusted_key_added", "advisory feed key");
        await AssertAuditedAsync("principal.route_added", "relay.attacker.test:2525");
    }

    [Fact]
    public async Task A_scheduled_job_added_to_the_config_by_hand_is_an_alert_and_is_listed_by_status()
    {
        await _server.Get<IntegrityWatchService>().FirstScan;
        await Task.Delay(1500); // the first principal check has taken the baseline
        var before = await Cli("status");
        Assert.DoesNotContain("advisory-refresh", before.Stdout, StringComparison.Ordinal);

        // Someone edits vigil.json with an editor: a new recurring job, fetching from a place of theirs.
        var feed = Path.Combine(_server.Data.Root, "..", Guid.NewGuid().ToString("N") + "-feed.json");
        var config = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(_server.Data.ConfigFile))!;
        config["advisories"]!["source"] = feed;
        await File.WriteAllTextAsync(_server.Data.ConfigFile, config.ToJsonString());
        await _server.RestartAsync(reloadConfig: true);

        var job = $"advisory-refresh every 360 min from {feed}";
        var alert = await _webhook.WaitForAsync("principal.scheduled_job_added", job, TimeSpan.FromSeconds(30));
        Assert.Equal("principal-watch", alert.GetProperty("source").GetString());
        await _webhook.WaitForAsync("integrity.config_changed", "vigil.json", TimeSpan.FromSeconds(30));
        await AssertAuditedAsync("principal.scheduled_job_added", job);
        Assert.Contains($"job        {job}", (await Cli("status")).Stdout, StringComparison.Ordinal);
        Assert.Contains("job        integrity-scan every 3 s", (await Cli("status")).Stdout, StringComparison.Ordinal);
    }

    private InstanceKey InstanceKeyFor(string name)
    {
        var file = Path.Combine(_program, "..", Path.GetFileName(_program) + "." + name + ".key");
        InstanceKey.Create(file);
        var key = InstanceKey.Load(file);
        File.Delete(file);
        return key;
    }
}
