using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>Runs the real fetchmail against Vigil: its own HOME, rc file, UIDL id file and pid
/// file under <paramref name="dir"/>; every fetched message lands in dir/mail/m.PID through a
/// shell MDA. TLS is verified against Vigil's own certificate (no "no sslcertck").</summary>
public sealed class FetchmailRun(string dir, TestServer server, string user, int port, bool implicitTls, bool keep)
{
    private string Mail => Path.Combine(dir, "mail");

    public async Task<ExternalTool.Result> RunAsync(bool fetchAll = true)
    {
        Directory.CreateDirectory(Mail);
        var cert = VigilServices.Resolve(server.Data, server.Config.Tls.CertificateFile);
        var rc = Path.Combine(dir, "fetchmailrc");
        File.WriteAllText(rc, $"""
            set no bouncemail
            set no spambounce
            poll 127.0.0.1 protocol pop3 port {port} uidl
              user "{user}" there with password "{TestServer.Password}" is "tester" here
              {(implicitTls ? "ssl" : "sslproto 'tls1.2+'")} sslcertck sslcertfile "{cert}" sslcommonname "{server.Config.Hostname}"
              {(keep ? "keep" : "nokeep")} {(fetchAll ? "fetchall" : "")} no rewrite no mimedecode
              mda "cat > {Mail}/m.$$"

            """);
        File.SetUnixFileMode(rc, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return await ExternalTool.RunAsync("env",
            [$"HOME={dir}", "fetchmail", "-f", rc, "--idfile", Path.Combine(dir, "fetchids"), "--pidfile", Path.Combine(dir, "fetchmail.pid"),
             "--nodetach", "--invisible", "--nosyslog", "-v"],
            timeout: TimeSpan.FromMinutes(3), workingDirectory: dir);
    }

    public IReadOnlyList<byte[]> Delivered() => Directory.GetFiles(Mail).Select(File.ReadAllBytes).ToList();
}
