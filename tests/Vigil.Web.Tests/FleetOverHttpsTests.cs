using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vigil.Ops;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Member;
using Vigil.Security.Audit;

namespace Vigil.Web.Tests;

/// <summary>Enrollment, heartbeats and actions between two real servers over real HTTPS.</summary>
public class FleetOverHttpsTests
{
    [Fact]
    public async Task A_member_enrolls_reports_and_carries_out_a_check_now()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        await using var member = await InstanceHost.StartAsync("member.test", console: false);
        var token = NewToken(console);

        var membership = await member.Get<MemberEnrollment>().EnrollAsync(console.BaseUri.ToString(), token, Actor.CommandLine(), CancellationToken.None);
        Assert.Equal(console.Get<FleetIdentity>().Id, membership.ConsoleId);
        Assert.Equal(FleetHttp.Fingerprint(console.Get<Vigil.Security.Tls.TlsCertificateProvider>().Certificate), membership.TlsCertificateSha256);
        Assert.NotNull(console.Get<MemberRegistry>().Get(member.Get<FleetIdentity>().Id));

        // The running member picks the membership up by itself and reports within a few seconds.
        var registry = console.Get<MemberRegistry>();
        await Until(() => registry.LastHeartbeat(membership.MemberId) is not null);
        var hb = registry.LastHeartbeat(membership.MemberId)!.Heartbeat;
        Assert.Equal("member.test", hb.Hostname);
        Assert.Contains(hb.Listeners, l => l.Name == "http" && !l.BeyondLoopback);
        Assert.Equal(0, hb.Counts!.Accounts);

        var issued = await console.Get<ActionOutbox>().IssueAsync(membership.MemberId, FleetAction.CheckNow, new Actor("admin", "test"), CancellationToken.None);
        var memberAudit = new JsonlAuditLog(member.Data.Audit).FilePath;
        var consoleAudit = new JsonlAuditLog(console.Data.Audit).FilePath;
        await Until(() => File.Exists(consoleAudit) && File.ReadAllText(consoleAudit).Contains("fleet.action.result", StringComparison.Ordinal));
        var memberLines = File.ReadAllText(memberAudit);
        Assert.Contains("\"fleet.action.accepted\"", memberLines, StringComparison.Ordinal);
        Assert.Contains("\"fleet.action.done\"", memberLines, StringComparison.Ordinal);
        Assert.Contains(issued.Id, memberLines, StringComparison.Ordinal);

        // A lockdown on the member shows on the console as LOCKED-DOWN.
        member.Get<Vigil.Ops.Lockdown.LockdownStore>().Write(new Vigil.Ops.Lockdown.LockdownState("incident drill", [], DateTimeOffset.UtcNow, "admin", "test"));
        await Until(() => registry.LastHeartbeat(membership.MemberId)!.Heartbeat.Lockdown?.Active == true);
        var view = console.Get<FleetView>().Members(null).Single();
        Assert.Contains(view.Flags, f => f.Name == FleetFlag.LockedDown);
    }

    [Fact]
    public async Task Enrollment_through_a_tls_interceptor_is_refused_and_the_token_is_not_pinned_to_it()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        await using var member = await InstanceHost.StartAsync("member.test", console: false);
        using var proxy = new TlsInterceptor(console.BaseUri.Port);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            member.Get<MemberEnrollment>().EnrollAsync($"https://127.0.0.1:{proxy.Port}", NewToken(console), Actor.CommandLine(), CancellationToken.None));
        Assert.Contains("not the console's", ex.Message, StringComparison.Ordinal);
        Assert.Null(member.Get<MembershipStore>().Load());
    }

    [Fact]
    public async Task A_token_for_another_console_is_refused_by_the_member_before_pinning()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        await using var other = await InstanceHost.StartAsync("other.test", console: true);
        await using var member = await InstanceHost.StartAsync("member.test", console: false);
        // A token minted by `other` used against `console`: the console does not know it.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            member.Get<MemberEnrollment>().EnrollAsync(console.BaseUri.ToString(), NewToken(other), Actor.CommandLine(), CancellationToken.None));
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Null(member.Get<MembershipStore>().Load());
    }

    [Fact]
    public async Task Curl_gets_401_anonymously_and_ok_from_health()
    {
        await using var console = await InstanceHost.StartAsync("console.test", console: true);
        var health = await Curl("-sk", new Uri(console.BaseUri, "/health").ToString());
        Assert.Equal("ok", health.Trim());
        var code = await Curl("-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "--data", "{}", new Uri(console.BaseUri, "/fleet/v1/heartbeat").ToString());
        Assert.Equal("401", code);
        // TLS 1.0/1.1 are not offered: the handshake fails and no HTTP status comes back.
        var old = await Curl("-sk", "-o", "/dev/null", "-w", "%{http_code}", "--tlsv1", "--tls-max", "1.1", new Uri(console.BaseUri, "/health").ToString());
        Assert.Equal("000", old);
    }

    private static string NewToken(InstanceHost console) =>
        console.Get<EnrollmentTokens>().Create(console.Get<FleetIdentity>().Id, TimeSpan.FromHours(24)).Token.ToString();

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 15 s");
            await Task.Delay(100);
        }
    }

    private static async Task<string> Curl(params string[] args)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    /// <summary>A man in the middle: terminates TLS with its own certificate and relays the bytes
    /// to the console over a second TLS connection.</summary>
    private sealed class TlsInterceptor : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _cert;
        private readonly CancellationTokenSource _stop = new();

        public TlsInterceptor(int upstreamPort)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var self = new CertificateRequest("CN=console.test", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            _cert = X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pkcs12), null);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(_stop.Token); } catch (Exception) { return; }
                    _ = RelayAsync(client, upstreamPort);
                }
            });
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private async Task RelayAsync(TcpClient client, int upstreamPort)
        {
            using (client)
            using (var upstream = new TcpClient())
            {
                try
                {
                    await using var down = new SslStream(client.GetStream());
                    await down.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _cert, ApplicationProtocols = [SslApplicationProtocol.Http11] });
                    await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort);
                    await using var up = new SslStream(upstream.GetStream(), false, (_, _, _, _) => true);
                    await up.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "console.test", ApplicationProtocols = [SslApplicationProtocol.Http11] });
                    await Task.WhenAny(down.CopyToAsync(up), up.CopyToAsync(down));
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _cert.Dispose();
        }
    }
}
