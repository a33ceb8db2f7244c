using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Storage;
using Vigil.Host.Hosting;
using Vigil.Ops;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Lockdown;

namespace Vigil.Web.Tests;

/// <summary>The console locks a member down and forces a credential reset with one action each;
/// HTTP answers 503 during a lockdown except from the allowed admin networks.</summary>
public class FleetIncidentResponseTests
{
    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(100);
        }
    }

    private static async Task<string> SmtpGreetingAsync(InstanceHost host)
    {
        var port = host.Get<ListenersHostedService>().Listeners.Single(l => l.Name == "smtp").BoundEndPoint!.Port;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var buffer = new byte[512];
        var n = await tcp.GetStream().ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n).TrimEnd();
    }

    [Fact]
    public async Task The_console_locks_a_member_down_and_forces_a_reset()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true, c => c.Integrity.ControlPollMilliseconds = 200);
        await using var member = await InstanceHost.StartAsync("member.test", console: false, c => c.Integrity.ControlPollMilliseconds = 200);
        await member.Get<IDirectoryStore>().AddDomainAsync("example.test", CancellationToken.None);
        await member.Get<AccountService>().CreateAsync(new EmailAddress("alice", "example.test"), "correct-horse-1", 0, false, CancellationToken.None);
        var token = console.Get<EnrollmentTokens>().Create(console.Get<FleetIdentity>().Id, TimeSpan.FromHours(1)).Token.ToString();
        var membership = await member.Get<MemberEnrollment>().EnrollAsync(console.BaseUri.ToString(), token, Actor.CommandLine(), CancellationToken.None);
        var registry = console.Get<MemberRegistry>();
        await Until(() => registry.LastHeartbeat(membership.MemberId) is not null, "first heartbeat");

        await console.Get<ActionOutbox>().IssueAsync(membership.MemberId, FleetAction.Lockdown, new Actor("admin", "test"), CancellationToken.None);
        await Until(() => member.Get<LockdownMonitor>().IsLockedDown, "member locked down");
        Assert.StartsWith("421 4.3.2 member.test locked down by the administrator: ordered by fleet console", await SmtpGreetingAsync(member), StringComparison.Ordinal);
        await Until(() => registry.LastHeartbeat(membership.MemberId)?.Heartbeat.Lockdown?.Active == true, "console sees LOCKED-DOWN");

        await console.Get<ActionOutbox>().IssueAsync(membership.MemberId, FleetAction.ForceReset, new Actor("admin", "test"), CancellationToken.None);
        var auditFile = Path.Combine(member.Data.Audit, "audit.jsonl");
        await Until(() => File.ReadAllText(auditFile).Contains("\"action\":\"user.force_reset\"", StringComparison.Ordinal), "force reset audited");
        Assert.True((await member.Get<IDirectoryStore>().GetAccountAsync("alice", "example.test", CancellationToken.None))!.PasswordExpired);
        Assert.Contains("\"action\":\"lockdown.on\"", await File.ReadAllTextAsync(auditFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_answers_503_during_lockdown_except_from_allowed_networks()
    {
        await using var host = await InstanceHost.StartAsync("solo.test", console: false, c => c.Integrity.ControlPollMilliseconds = 200);
        using var http = InstanceHost.AnonymousClient();
        var health = new Uri(host.BaseUri, "/health");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(health)).StatusCode);

        await host.Get<LockdownService>().EngageAsync("web test", [], "admin", "test", CancellationToken.None);
        using (var locked = await http.GetAsync(health))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
            Assert.Contains("locked down by the administrator: web test", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(locked.Headers.RetryAfter);
        }
        await host.Get<LockdownService>().EngageAsync("web test", ["127.0.0.0/8"], "admin", "test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(health)).StatusCode);
        await host.Get<LockdownService>().LiftAsync("admin", "test", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(health)).StatusCode);
    }
}
