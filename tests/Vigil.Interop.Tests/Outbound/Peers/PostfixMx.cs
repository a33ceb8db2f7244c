using System.Net;
using System.Text;
using Vigil.Interop.Tests.Infrastructure;
using Vigil.Security.Tls;

namespace Vigil.Interop.Tests.Outbound.Peers;

/// <summary>A real Postfix (the Debian package) as the remote MX: its own configuration, queue and
/// log directory, listening on one loopback address and a high port, offering STARTTLS with a
/// self-signed certificate, delivering every recipient of its domain into one Maildir.</summary>
public sealed class PostfixMx : IAsyncDisposable
{
    private readonly string _root;

    private PostfixMx(string root, IPEndPoint endPoint)
    {
        _root = root;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }
    private string Config => Path.Combine(_root, "conf");
    private string Maildir => Path.Combine(_root, "mail", "box", "new");
    public string MailLog => File.Exists(Path.Combine(_root, "maillog")) ? File.ReadAllText(Path.Combine(_root, "maillog")) : "";

    /// <param name="saslSocket">When set, a smart host: only clients that authenticate (SASL via this
    /// Dovecot auth socket) may send, and then to any address of <paramref name="domain"/>.</param>
    public static async Task<PostfixMx> StartAsync(string hostname, string domain, IPAddress address, int port, string? saslSocket = null)
    {
        if (!PeerProcess.IsRoot) throw new InvalidOperationException("Postfix as a test peer needs root (its master runs as root and drops to 'postfix').");
        // Postfix refuses a queue or mail path it cannot traverse as 'postfix': world-executable root.
        var root = Path.Combine(Path.GetTempPath(), "vigil-postfix-" + Guid.NewGuid().ToString("N")[..10]);
        foreach (var d in new[] { root, Path.Combine(root, "conf"), Path.Combine(root, "queue"), Path.Combine(root, "data"), Path.Combine(root, "mail") })
        {
            Directory.CreateDirectory(d);
            File.SetUnixFileMode(d, (UnixFileMode)0x1ED); // 0755
        }
        await ExternalTool.RunAsync("chown", ["postfix:postfix", Path.Combine(root, "data"), Path.Combine(root, "mail")]);
        SelfSignedCertificate.Write(hostname, Path.Combine(root, "conf", "cert.pem"), Path.Combine(root, "conf", "key.pem"));

        var ids = await ExternalTool.RunAsync("id", ["-u", "postfix"]);
        var gid = await ExternalTool.RunAsync("id", ["-g", "postfix"]);
        var main = new StringBuilder()
            .AppendLine("compatibility_level = 3.6")
            .AppendLine($"queue_directory = {root}/queue")
            .AppendLine($"data_directory = {root}/data")
            .AppendLine("mail_owner = postfix")
            .AppendLine("setgid_group = postdrop")
            .AppendLine($"myhostname = {hostname}")
            .AppendLine("mydestination =")
            .AppendLine("inet_interfaces = all")
            .AppendLine("inet_protocols = ipv4")
            .AppendLine($"maillog_file = {root}/maillog")
            .AppendLine($"maillog_file_prefixes = {root}")
            .AppendLine($"virtual_mailbox_domains = {domain}")
            .AppendLine($"virtual_mailbox_base = {root}/mail")
            .AppendLine("virtual_mailbox_maps = static:box/")
            .AppendLine($"virtual_uid_maps = static:{ids.Stdout.Trim()}")
            .AppendLine($"virtual_gid_maps = static:{gid.Stdout.Trim()}")
            .AppendLine("smtpd_relay_restrictions = permit_auth_destination, reject")
            .AppendLine("mynetworks = 127.0.0.1/32")
            .AppendLine("alias_maps =")
            .AppendLine("alias_database =")
            .AppendLine("biff = no")
            .AppendLine("smtpd_tls_security_level = may")
            .AppendLine($"smtpd_tls_cert_file = {root}/conf/cert.pem")
            .AppendLine($"smtpd_tls_key_file = {root}/conf/key.pem")
            .AppendLine("smtpd_tls_received_header = yes")
            .AppendLine("shlib_directory = /usr/lib/postfix")
            .AppendLine("daemon_directory = /usr/lib/postfix/sbin")
            .AppendLine("meta_directory = /etc/postfix");
        if (saslSocket is not null)
        {
            main.AppendLine("smtpd_sasl_auth_enable = yes")
                .AppendLine("smtpd_sasl_type = dovecot")
                .AppendLine($"smtpd_sasl_path = {saslSocket}")
                .AppendLine("smtpd_recipient_restrictions = permit_sasl_authenticated, reject")
                .AppendLine("smtpd_error_sleep_time = 0");
        }
        await File.WriteAllTextAsync(Path.Combine(root, "conf", "main.cf"), main.ToString());
        // The packaged master.cf, with the public smtpd on our address:port and logging to a file.
        var master = (await File.ReadAllLinesAsync("/etc/postfix/master.cf"))
            .Select(l => l.StartsWith("smtp      inet", StringComparison.Ordinal) ? $"{address}:{port} inet n - n - - smtpd"
                : l.StartsWith("postlog ", StringComparison.Ordinal) ? "postlog unix-dgram n - n - 1 postlogd" : l);
        await File.WriteAllLinesAsync(Path.Combine(root, "conf", "master.cf"), master);

        var start = await ExternalTool.RunAsync("postfix", ["-c", Path.Combine(root, "conf"), "start"], timeout: TimeSpan.FromSeconds(30));
        var mx = new PostfixMx(root, new IPEndPoint(address, port));
        if (start.ExitCode != 0) throw new InvalidOperationException($"postfix did not start: {start}\n{mx.MailLog}");
        var peer = new System.Net.Sockets.TcpClient();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try { await peer.ConnectAsync(mx.EndPoint); break; }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
        peer.Dispose();
        return mx;
    }

    /// <summary>Messages Postfix has delivered into the Maildir so far.</summary>
    public IReadOnlyList<string> Delivered() =>
        Directory.Exists(Maildir) ? Directory.EnumerateFiles(Maildir).Select(f => File.ReadAllText(f)).ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await ExternalTool.RunAsync("postfix", ["-c", Config, "abort"], timeout: TimeSpan.FromSeconds(30));
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
