using Vigil.Ops.Alerts;

namespace Vigil.Ops.Tests.Incident;

/// <summary>The alerts a member's heartbeat carries outlive a restart, and alerts raised by a
/// <c>vigil</c> command (a process of its own) join the server's.</summary>
public sealed class RecentAlertsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-alerts-").FullName;

    private string File => Path.Combine(_dir, "recent-alerts.json");

    private static Alert A(int n) => new("integrity.unexpected_file", $"blobs/x{n}", "detail", "vigil", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + n));

    [Fact]
    public async Task Alerts_survive_a_restart_and_a_commands_alerts_join_the_servers()
    {
        var server = new RecentAlerts(File);
        var command = new RecentAlerts(File); // the same file, as `vigil` sees it
        await server.SendAsync(A(1), default);
        await command.SendAsync(A(2), default);
        await server.SendAsync(A(3), default);
        Assert.Equal([A(1), A(2), A(3)], await server.CurrentAsync(default));

        var restarted = new RecentAlerts(File);
        Assert.Equal([A(1), A(2), A(3)], await restarted.CurrentAsync(default));
    }

    [Fact]
    public async Task Only_the_newest_are_kept_and_a_torn_file_is_started_afresh()
    {
        var alerts = new RecentAlerts(File);
        // Writers at once, each through its own handle: the lock makes every merge see the others.
        await Task.WhenAll(Enumerable.Range(0, 15).Select(n => Task.Run(() => new RecentAlerts(File).SendAsync(A(n), default))));
        Assert.Equal(Enumerable.Range(0, 15).Select(A).ToHashSet(), (await alerts.CurrentAsync(default)).ToHashSet());
        for (var n = 15; n < 30; n++) await alerts.SendAsync(A(n), default);
        var kept = await alerts.CurrentAsync(default);
        Assert.Equal(RecentAlerts.Keep, kept.Count);
        Assert.Equal(A(29), kept[^1]);

        await System.IO.File.WriteAllTextAsync(File, "[{\"Kind\":\"integ");
        Assert.Empty(await alerts.CurrentAsync(default));
        await alerts.SendAsync(A(99), default);
        Assert.Equal([A(99)], await alerts.CurrentAsync(default));
    }

    [Fact]
    public async Task A_writer_waits_while_another_process_holds_the_file()
    {
        var alerts = new RecentAlerts(File);
        await alerts.SendAsync(A(1), default);
        Task send;
        await using (new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)) // a reader's shared flock
        {
            send = alerts.SendAsync(A(2), default);
            await Task.Delay(300);
            Assert.False(send.IsCompleted);
        }
        await send.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([A(1), A(2)], await alerts.CurrentAsync(default));
    }

    [Fact]
    public async Task Without_a_file_they_are_kept_in_memory()
    {
        var alerts = new RecentAlerts();
        for (var n = 0; n < 25; n++) await alerts.SendAsync(A(n), default);
        Assert.Equal(Enumerable.Range(5, 20).Select(A), await alerts.CurrentAsync(default));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
