using System.Text;
using System.Text.Json;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>The backup commands as an admin runs them (separate processes against a running
/// server): list and verify output, exit codes, damage named, restores refused.</summary>
public sealed class BackupCliTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private string _work = null!;
    private string Target => Path.Combine(_work, "target");

    public async Task InitializeAsync()
    {
        _work = Temp("cli");
        _server = await TestServer.StartAsync();
        await _server.AddUserAsync("carol");
        var r = await SendAsync(_server.Port("smtp"), $"carol@{TestServer.Domain}", WriteMessages(Path.Combine(_work, "sent"), 1, 30), connections: 2);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        MakeWritableAndDelete(_work);
    }

    private Task<ExternalTool.Result> Vigil(params string[] args) => VigilCli.RunAsync(_server.Data.Root, args);

    private async Task<string> CreateAsync()
    {
        var r = await Vigil("backup", "create", "--to", Target);
        Assert.True(r.ExitCode == 0, r.ToString());
        return PointIdOf(r.Stdout);
    }

    [Fact]
    public async Task List_shows_every_point_and_verify_records_its_result()
    {
        var first = await CreateAsync();
        await SendAsync(_server.Port("smtp"), $"carol@{TestServer.Domain}", WriteMessages(Path.Combine(_work, "more"), 100, 5), connections: 1);
        var second = await CreateAsync();

        var verify = await Vigil("backup", "verify", "--from", Target, "--all");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"{first} OK", verify.Stdout);
        Assert.Contains($"{second} OK", verify.Stdout);

        var list = await Vigil("backup", "list", "--from", Target, "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var rows = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal([first, second], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([30L, 35L], rows.Select(r => r.GetProperty("messages").GetInt64()));
        Assert.All(rows, r => Assert.True(r.GetProperty("lastVerification").GetProperty("ok").GetBoolean()));
        // Incremental: the second point references all 35 blobs but wrote only what was new.
        Assert.Equal(35, rows[1].GetProperty("blobs").GetInt64());
        Assert.True(rows[1].GetProperty("newBytes").GetInt64() < rows[1].GetProperty("size").GetInt64());

        var table = await Vigil("backup", "list", "--from", Target);
        Assert.Contains("verified OK", table.Stdout);

        var audit = await Vigil("audit", "show", "--action", "backup.");
        Assert.Contains("backup.create", audit.Stdout);
        Assert.Contains("backup.verify", audit.Stdout);
        var status = await Vigil("status");
        Assert.Contains($"newest point {second}", status.Stdout);
    }

    [Fact]
    public async Task A_corrupt_blob_is_named_and_restore_refuses_it()
    {
        var point = await CreateAsync();
        var blob = Directory.EnumerateFiles(Path.Combine(Target, "blobs"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(blob);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(blob, bytes);
        var name = "blobs/" + Path.GetRelativePath(Path.Combine(Target, "blobs"), blob);

        var verify = await Vigil("backup", "verify", "--from", Target, point);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains($"{point} DAMAGED", verify.Stdout);
        Assert.Contains(name, verify.Stdout);

        var newDir = Path.Combine(_work, "restored");
        var restore = await VigilCli.RunAsync(newDir, "backup", "restore", point, "--from", Target);
        Assert.Equal(2, restore.ExitCode);
        Assert.Contains(name, restore.Stderr);
        Assert.False(Directory.Exists(newDir));

        var status = await Vigil("status");
        Assert.Contains("DAMAGED", status.Stdout);
    }

    [Fact]
    public async Task A_flipped_byte_in_the_manifest_fails_its_signature()
    {
        var point = await CreateAsync();
        var manifest = Path.Combine(Target, "points", point + ".manifest.json");
        File.SetUnixFileMode(manifest, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(manifest);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("\"messages\": 30", StringComparison.Ordinal) + "\"messages\": ".Length;
        bytes[at] = (byte)'9';
        await File.WriteAllBytesAsync(manifest, bytes);

        var verify = await Vigil("backup", "verify", "--from", Target, point);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains($"points/{point}.manifest.json: signature does not match", verify.Stdout);
        var restore = await VigilCli.RunAsync(Path.Combine(_work, "r"), "backup", "restore", point, "--from", Target);
        Assert.Equal(2, restore.ExitCode);
        Assert.Contains("manifest.json", restore.Stderr);
    }

    [Fact]
    public async Task Restore_refuses_a_directory_that_is_not_empty_and_bad_ids()
    {
        var point = await CreateAsync();
        var r = await VigilCli.RunAsync(_server.Data.Root, "backup", "restore", point, "--from", Target);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("running server", r.Stderr);
        var other = Directory.CreateDirectory(Path.Combine(_work, "occupied")).FullName;
        await File.WriteAllTextAsync(Path.Combine(other, "keep.txt"), "mine");
        r = await VigilCli.RunAsync(other, "backup", "restore", point, "--from", Target);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not empty", r.Stderr);
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(other, "keep.txt")));
        r = await VigilCli.RunAsync(Path.Combine(_work, "x"), "backup", "restore", "../../etc", "--from", Target);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not a restore point id", r.Stderr);
    }
}
