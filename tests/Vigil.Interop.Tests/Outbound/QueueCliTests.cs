using Vigil.Interop.Tests.Infrastructure;
using Vigil.Interop.Tests.Outbound.Peers;
using static Vigil.Interop.Tests.Outbound.OutboundHelpers;

namespace Vigil.Interop.Tests.Outbound;

/// <summary><c>vigil queue list|show|retry|remove</c> run as separate processes against a running
/// server, as an admin would: the CLI changes the store and the server acts on it.</summary>
public sealed class QueueCliTests
{
    [Fact]
    public async Task List_show_retry_and_remove()
    {
        // Long back-off, so only a manual retry brings the message out while the test runs.
        await using var s = await OutboundScenario.StartAsync(configure: o =>
        {
            o.FirstRetrySeconds = 3600;
            o.MaxRetryIntervalSeconds = 3600;
        });
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "stuck for now", envId: "cli-env"));
        Assert.StartsWith("250", await s.SendAsync("carol@remote.test", "to be removed"));
        await EventuallyAsync(async () => (await s.QueueAsync()).SelectMany(e => e.Recipients).Count(r => r.Progress.Attempts >= 1) == 2 ? "tried" : null, "both messages tried");
        var entries = await s.QueueAsync();
        var stuck = entries.Single(e => e.Recipients[0].Address == "bob@remote.test").Message.Id;
        var doomed = entries.Single(e => e.Recipients[0].Address == "carol@remote.test").Message.Id;

        var list = await VigilCli.RunAsync(s.Server.Data.Root, "queue", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains(stuck, list.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"<bob@remote\.test> pending attempts=1 next=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ relay=mx1\.remote\.test status=4\.4\.1 last=""X-Vigil; connect to mx1\.remote\.test\[127\.0\.0\.2\]:\d+: ConnectionRefused""", list.Stdout);
        Assert.Contains("-- 2 message(s), 2 recipient(s) pending", list.Stdout, StringComparison.Ordinal);

        var show = await VigilCli.RunAsync(s.Server.Data.Root, "queue", "show", stuck);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("sender:    <alice@example.test> (authenticated as alice@example.test)", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("dsn:       envid=cli-env", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Subject: stuck for now", show.Stdout, StringComparison.Ordinal);

        var removed = await VigilCli.RunAsync(s.Server.Data.Root, "queue", "remove", doomed);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("queue.remove", await File.ReadAllTextAsync(Path.Combine(s.Server.Data.Audit, "audit.jsonl")), StringComparison.Ordinal);

        var sink = await s.SinkAsync(Loopback.Mx1);
        var retry = await VigilCli.RunAsync(s.Server.Data.Root, "queue", "retry", stuck);
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("1 recipient(s) scheduled", retry.Stdout, StringComparison.Ordinal);
        await s.WaitForEmptyQueueAsync(); // the server notices the change in the store (no signal crosses processes)
        Assert.Contains("Subject: stuck for now", Assert.Single(sink.Messages()), StringComparison.Ordinal);
        Assert.Empty(await s.Server.InboxAsync(s.Alice)); // removing sends no bounce
    }

    [Fact]
    public async Task Lockdown_holds_queued_mail_until_it_is_lifted()
    {
        await using var s = await OutboundScenario.StartAsync(configure: o =>
        {
            o.FirstRetrySeconds = 3600;
            o.MaxRetryIntervalSeconds = 3600;
        });
        Assert.StartsWith("250", await s.SendAsync("bob@remote.test", "held by lockdown"));
        await s.AttemptedAsync(); // no MX listening yet: deferred once

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "lockdown", "on", "--reason", "outbound test")).ExitCode);
        await EventuallyAsync(() => Task.FromResult(s.Server.Get<Vigil.Core.Outbound.OutboundPause>().IsPaused ? "paused" : null), "the server to see the lockdown");
        var sink = await s.SinkAsync(Loopback.Mx1);
        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "queue", "retry", "--all")).ExitCode);
        await Task.Delay(TimeSpan.FromSeconds(7)); // longer than the runner's longest sleep
        Assert.Empty(sink.Messages());
        Assert.Equal(1, (await s.QueueAsync()).Single().Recipients.Single().Progress.Attempts); // held, not attempted

        Assert.Equal(0, (await VigilCli.RunAsync(s.Server.Data.Root, "lockdown", "off")).ExitCode);
        await s.WaitForEmptyQueueAsync();
        Assert.Contains("Subject: held by lockdown", Assert.Single(sink.Messages()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("show", "../../etc/passwd", "is not a queue id")]
    [InlineData("show", "BCDFGHJKLMNP", "no such queued message")]
    [InlineData("remove", "BCDFGHJKLMNP", "no such queued message")]
    [InlineData("retry", "", "give either a queue id or --all")]
    public async Task Bad_ids_are_refused_with_one_line(string verb, string id, string error)
    {
        await using var s = await OutboundScenario.StartAsync();
        string[] args = id.Length == 0 ? ["queue", verb] : ["queue", verb, id];
        var r = await VigilCli.RunAsync(s.Server.Data.Root, args);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(error, r.Stderr, StringComparison.Ordinal);
    }
}
