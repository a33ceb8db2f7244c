namespace Vigil.Interop.Tests.Outbound.Peers;

/// <summary>Dovecot (the Debian package) running only its auth service, with one user in a
/// passwd-file: the SASL backend a real Postfix smart host uses (smtpd_sasl_type = dovecot). Only
/// PLAIN is offered: after a failure a client would try the next mechanism, and Dovecot's auth
/// penalty slows every later attempt from the same address by seconds.</summary>
public sealed class DovecotAuth : IAsyncDisposable
{
    private readonly string _root;
    private readonly PeerProcess _process;

    private DovecotAuth(string root, PeerProcess process)
    {
        _root = root;
        _process = process;
    }

    /// <summary>The auth socket for Postfix's smtpd_sasl_path.</summary>
    public string Socket => Path.Combine(_root, "auth");

    public static async Task<DovecotAuth> StartAsync(string user, string password)
    {
        var root = Path.Combine(Path.GetTempPath(), "vigil-dovecot-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "run"));
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED);
        await File.WriteAllTextAsync(Path.Combine(root, "users"), $"{user}:{{PLAIN}}{password}\n");
        await File.WriteAllTextAsync(Path.Combine(root, "dovecot.conf"), $$"""
            base_dir = {{root}}/run
            protocols =
            log_path = {{root}}/dovecot.log
            ssl = no
            auth_mechanisms = plain
            auth_failure_delay = 0
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{root}}/users
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{root}}/home
            }
            service auth {
              unix_listener {{root}}/auth {
                mode = 0666
              }
            }
            """);
        // -F: in the foreground, so it dies with the test (a daemonised dovecot would also keep the
        // output pipes of whoever started it open).
        var auth = new DovecotAuth(root, PeerProcess.Start("dovecot", ["-F", "-c", Path.Combine(root, "dovecot.conf")]));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(auth.Socket))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("dovecot auth socket did not appear: " + auth._process.Output);
            await Task.Delay(50);
        }
        return auth;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
