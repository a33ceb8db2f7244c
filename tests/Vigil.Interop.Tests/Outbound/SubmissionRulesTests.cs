using Vigil.Core.Storage;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Outbound;

/// <summary>RFC 6409 §6.1 rules on the submission port, driven by Python's smtplib: a user sends
/// only as their own addresses and aliases (envelope and From) unless an admin allows more with
/// <c>vigil sender allow</c>, and only so many messages per hour (<c>vigil sender rate</c>).</summary>
public sealed class SubmissionRulesTests : IAsyncLifetime
{
    private OutboundScenario _s = null!;

    public async Task InitializeAsync() => _s = await OutboundScenario.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private Task<ExternalTool.Result> Cli(params string[] args) => VigilCli.RunAsync(_s.Server.Data.Root, args);

    [Fact]
    public async Task Someone_elses_envelope_sender_is_refused_with_553_5_7_1()
    {
        var reply = await _s.SendAsync("bob@example.test", "spoof", from: "boss@example.test");
        Assert.Equal("553 5.7.1 <boss@example.test>: Sender address rejected: not owned by user alice@example.test", reply);
        Assert.StartsWith("553 5.7.1", await _s.SendAsync("bob@example.test", "spoof", from: "alice@other.test"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_elses_from_header_is_refused_after_data_even_with_an_own_envelope_sender()
    {
        var bob = await _s.Server.AddUserAsync("bob");
        // Envelope sender alice (hers), From header the boss (not hers).
        var reply = await _s.SendAsync("bob@example.test", "header spoof", extraHeaders: "From: The Boss <boss@example.test>\n");
        Assert.StartsWith("553 5.7.1 <boss@example.test>", reply, StringComparison.Ordinal);
        Assert.Empty(await _s.Server.InboxAsync(bob));
    }

    [Fact]
    public async Task Own_tags_aliases_and_granted_patterns_are_accepted()
    {
        var bob = await _s.Server.AddUserAsync("bob");
        await _s.Server.Get<IDirectoryStore>().AddAliasAsync("sales", TestServer.Domain, "alice@example.test", CancellationToken.None);
        Assert.StartsWith("250", await _s.SendAsync("bob@example.test", "tagged", from: "alice+news@example.test"));
        Assert.StartsWith("250", await _s.SendAsync("bob@example.test", "alias", from: "sales@example.test"));
        Assert.StartsWith("553", await _s.SendAsync("bob@example.test", "partner", from: "alice@partner.test"));

        var allow = await Cli("sender", "allow", "alice@example.test", "*@partner.test");
        Assert.True(allow.ExitCode == 0, allow.ToString());
        Assert.StartsWith("250", await _s.SendAsync("bob@example.test", "partner", from: "alice@partner.test"));
        Assert.Contains("*@partner.test", (await Cli("sender", "list", "alice@example.test")).Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await Cli("sender", "revoke", "alice@example.test", "*@partner.test")).ExitCode);
        Assert.StartsWith("553", await _s.SendAsync("bob@example.test", "partner again", from: "alice@partner.test"));
        Assert.Equal(3, (await _s.Server.InboxAsync(bob)).Count);
        Assert.Contains("sender.allow", await File.ReadAllTextAsync(Path.Combine(_s.Server.Data.Audit, "audit.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hourly_limit_answers_450_4_7_1_once_reached()
    {
        await _s.Server.AddUserAsync("bob");
        var set = await Cli("sender", "rate", "alice@example.test", "2");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.StartsWith("250", await _s.SendAsync("bob@example.test", "one"));
        Assert.StartsWith("250", await _s.SendAsync("bob@remote.test", "two"));
        Assert.Equal("450 4.7.1 Too many messages sent in the last hour; try again later", await _s.SendAsync("bob@example.test", "three"));
        Assert.Equal(1, (await Cli("sender", "rate", "alice@example.test", "zero")).ExitCode);
    }
}
