using System.Net;
using Vigil.Ops.Alerts;
using Vigil.Ops.Lockdown;
using Vigil.Ops.Principals;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Incident;

public sealed class AlertAndLockdownTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LogCapture _logs = new();

    public void Dispose() => _dir.Dispose();

    private sealed class Broken : IAlertSink
    {
        public Task SendAsync(Alert alert, CancellationToken ct) => throw new HttpRequestException("webhook down");
    }

    [Fact]
    public async Task A_failing_sink_does_not_keep_the_alert_from_the_others()
    {
        var ok = new RecordingAlertSink();
        var dispatcher = new AlertDispatcher([new Broken(), ok], _logs.For<AlertDispatcher>());
        await dispatcher.RaiseAsync(new Alert(AlertKinds.UnexpectedFile, "a8f3kq.exe", "x", "test", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Single(ok.Alerts);
        Assert.Contains("Broken", Assert.Single(_logs.Messages("alert.sink_failed")), StringComparison.Ordinal);
    }

    [Fact]
    public void Alert_mail_is_ascii_in_its_headers_and_marked_auto_submitted()
    {
        var text = System.Text.Encoding.UTF8.GetString(AlertMessage.Format(
            new Alert(AlertKinds.UnexpectedFile, "blobs/ab/ré\r\nBcc: x@evil.test", "détail", "integrity-watch", new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero)),
            new AlertOptions("mail.example.test", "i1", "admin@example.test", null, false), "admin@example.test"));
        var headers = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain("\nBcc:", headers, StringComparison.Ordinal); // no header injection through a file name
        Assert.All(headers, c => Assert.True(c < 128));
        Assert.Contains("Auto-Submitted: auto-generated\r\n", headers, StringComparison.Ordinal);
        Assert.Contains("Subject: [Vigil ALERT] mail.example.test: integrity.unexpected_file blobs/ab/r???Bcc: x@evil.test", headers, StringComparison.Ordinal);
        Assert.Contains("Detail:  détail", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lockdown_allows_only_listed_networks_and_an_unreadable_file_fails_closed()
    {
        var state = new LockdownState("x", ["192.0.2.0/24", "2001:db8::/32"], DateTimeOffset.UtcNow, "a", "cli");
        Assert.True(state.Allows(IPAddress.Parse("192.0.2.7")));
        Assert.True(state.Allows(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.True(state.Allows(IPAddress.Parse("2001:db8::1")));
        Assert.False(state.Allows(IPAddress.Parse("198.51.100.1")));
        Assert.Throws<FormatException>(() => LockdownState.ParseNetworks(["10.0.0.0/33"]));

        var store = new LockdownStore(_dir.File("lockdown.json"));
        Assert.Null(store.Read());
        store.Write(state);
        Assert.Equal(["192.0.2.0/24", "2001:db8::/32"], store.Read()!.Allow);
        File.WriteAllText(store.Path, "{ garbage");
        Assert.Contains("unreadable", store.Read()!.Reason, StringComparison.Ordinal);
        Assert.True(store.Clear());
        Assert.Null(store.Read());
    }

    private sealed class Principals(List<PrivilegedPrincipal> list) : IPrivilegedPrincipalSource
    {
        public Task<IReadOnlyList<PrivilegedPrincipal>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<PrivilegedPrincipal>>(list.ToList());
    }

    [Fact]
    public async Task Each_new_principal_alerts_once_and_a_deleted_baseline_hides_nothing()
    {
        var list = new List<PrivilegedPrincipal> { new(PrivilegedPrincipal.Admin, "root@example.test") };
        var sink = new RecordingAlertSink();
        var baseline = new PrincipalBaseline(_dir.File("principals.json"));
        var watch = new PrincipalWatchService([new Principals(list)], baseline, new AlertDispatcher([sink], _logs.For<AlertDispatcher>()),
            new PrincipalWatchOptions(TimeSpan.FromSeconds(1)), TimeProvider.System, _logs.For<PrincipalWatchService>());

        Assert.Single(await watch.CheckAsync(CancellationToken.None)); // no baseline yet: root is new
        Assert.Empty(await watch.CheckAsync(CancellationToken.None));
        list.Add(new(PrivilegedPrincipal.ScheduledJob, "backup every 01:00:00 to /mnt/evil"));
        list.Add(new(PrivilegedPrincipal.Route, "* via 203.0.113.9:25"));
        Assert.Equal(2, (await watch.CheckAsync(CancellationToken.None)).Count);
        Assert.Equal([AlertKinds.NewAdmin, AlertKinds.NewScheduledJob, AlertKinds.NewRoute], sink.Alerts.Select(a => a.Kind));

        File.Delete(_dir.File("principals.json"));
        Assert.Equal(3, (await watch.CheckAsync(CancellationToken.None)).Count);
    }
}
