using System.Diagnostics;
using System.Globalization;
using Vigil.Core.Accounts;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Auth;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>No user enumeration: Python's smtplib and poplib get the same answer, after the same
/// time, for a wrong password on a real account and for an account that does not exist; VRFY and
/// EXPN say nothing about any name; app passwords open no side channel.</summary>
public sealed class UserEnumerationTests
{
    private static readonly TimeSpan FailureTime = TimeSpan.FromMilliseconds(600);

    /// <summary>The shortest time a refused probe takes: each attempt is padded to the failure time,
    /// and smtplib's login tries every mechanism offered (PLAIN, then LOGIN) before it gives up.</summary>
    private static double Floor(string protocol) => FailureTime.TotalSeconds * (protocol == "smtp" ? 2 : 1);

    private static async Task<(string Answer, double Seconds)> ProbeAsync(TestServer server, string protocol, string user, string password)
    {
        var r = await ExternalTool.RunAsync("python3", [Path.Combine(AppContext.BaseDirectory, "python", "auth_probe.py"), protocol, "127.0.0.1",
            server.Port(protocol == "smtp" ? "submission" : "pop3").ToString(CultureInfo.InvariantCulture), user, password]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Trim().Split('\n');
        return (lines[0], double.Parse(lines[1], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("smtp")]
    [InlineData("pop3")]
    public async Task A_wrong_password_and_an_unknown_user_look_and_take_the_same(string protocol)
    {
        await using var server = await TestServer.StartAsync(c => c.Login = new LoginOptions { FailureResponseTime = FailureTime });
        await server.AddUserAsync("bob");
        var wrong = await ProbeAsync(server, protocol, "bob@example.test", "guess");
        var unknown = await ProbeAsync(server, protocol, "nobody@example.test", "guess");
        var malformed = await ProbeAsync(server, protocol, "not-an-address", "guess");
        Assert.StartsWith("refused: ", wrong.Answer, StringComparison.Ordinal);
        Assert.Equal(wrong.Answer, unknown.Answer);
        Assert.Equal(wrong.Answer, malformed.Answer);
        foreach (var t in new[] { wrong.Seconds, unknown.Seconds, malformed.Seconds })
            Assert.InRange(t, Floor(protocol) - 0.02, Floor(protocol) + 2); // timer granularity
        Assert.Equal("ok", (await ProbeAsync(server, protocol, "bob@example.test", TestServer.Password)).Answer);
    }

    /// <summary>App passwords add no oracle: a wrong secret behind a real selector, a revoked app
    /// password and an app password tried on a missing user all get the wrong-password answer after
    /// the same time.</summary>
    [Theory]
    [InlineData("smtp")]
    [InlineData("pop3")]
    public async Task Wrong_and_revoked_app_passwords_look_and_take_the_same_as_any_failure(string protocol)
    {
        await using var server = await TestServer.StartAsync(c => c.Login = new LoginOptions { FailureResponseTime = FailureTime });
        var bob = await server.AddUserAsync("bob");
        var apps = server.Get<AppPasswordService>();
        var (_, phone) = await apps.CreateAsync(bob, "phone", CancellationToken.None);
        var (_, old) = await apps.CreateAsync(bob, "old", CancellationToken.None);
        await apps.RevokeAsync(bob, "old", CancellationToken.None);
        var wrong = await ProbeAsync(server, protocol, "bob@example.test", "guess");
        Assert.StartsWith("refused: ", wrong.Answer, StringComparison.Ordinal);
        foreach (var (user, password) in new[] { ("bob@example.test", phone[..5] + AppPasswordFormat.Generate()[5..]), ("bob@example.test", old), ("nobody@example.test", phone) })
        {
            var probe = await ProbeAsync(server, protocol, user, password);
            Assert.Equal(wrong.Answer, probe.Answer);
            Assert.InRange(probe.Seconds, Floor(protocol) - 0.02, Floor(protocol) + 2);
        }
        Assert.Equal("ok", (await ProbeAsync(server, protocol, "bob@example.test", phone)).Answer);
    }

    [Fact]
    public async Task The_failure_time_hides_the_cost_of_a_real_password_check()
    {
        // Full-cost Argon2id, a real account and a missing one, measured on the wire.
        await using var server = await TestServer.StartAsync(c =>
        {
            c.Security.Argon2MemoryKiB = 19456;
            c.Security.Argon2Iterations = 2;
            c.Login = new LoginOptions { FailureResponseTime = TimeSpan.FromMilliseconds(500) };
        });
        await server.AddUserAsync("bob");
        var known = new List<double>();
        var missing = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            known.Add(await AuthTimeAsync(server, "bob@example.test"));
            missing.Add(await AuthTimeAsync(server, $"nobody{i}@example.test"));
        }
        Assert.All(known.Concat(missing), t => Assert.InRange(t, 0.48, 2.5));
        Assert.InRange(Math.Abs(known.Order().ElementAt(1) - missing.Order().ElementAt(1)), 0, 0.25);
    }

    private static async Task<double> AuthTimeAsync(TestServer server, string user)
    {
        await using var c = await RawClient.ConnectAsync(server.EndPoint("submission"));
        await c.ReadReplyAsync();
        await c.CommandAsync("EHLO probe.test");
        var sw = Stopwatch.StartNew();
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await c.CommandAsync("AUTH PLAIN " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"\0{user}\0guess"))));
        return sw.Elapsed.TotalSeconds;
    }

    [Fact]
    public async Task VRFY_and_EXPN_reveal_nothing_about_any_name()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("bob");
        await using var c = await RawClient.ConnectAsync(server.EndPoint("smtp"));
        await c.ReadReplyAsync();
        await c.CommandAsync("EHLO probe.test");
        var vrfy = new List<string?>();
        var expn = new List<string?>();
        foreach (var name in new[] { "bob", "bob@example.test", "<bob@example.test>", "nobody", "nobody@example.test", "postmaster", "" })
        {
            vrfy.Add(await c.CommandAsync(("VRFY " + name).Trim()));
            expn.Add(await c.CommandAsync(("EXPN " + name).Trim()));
        }
        Assert.Single(vrfy.Distinct());
        Assert.Single(expn.Distinct());
        Assert.Equal("252 2.5.2 Cannot VRFY user, but will accept message and attempt delivery", vrfy[0]);
        Assert.Equal("502 5.5.1 EXPN not available", expn[0]);
    }
}
