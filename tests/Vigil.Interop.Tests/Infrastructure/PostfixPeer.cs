using System.Net;
using System.Net.Sockets;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary>A private, real Postfix instance on loopback, used as the remote MTA that relays mail
/// for one domain to a Vigil listener. It has its own config, queue and log under a temp directory,
/// listens for SMTP on a free port, retries quickly, and never looks up DNS.
/// Needs root (Postfix's master runs as root and drops to the postfix user) and the postfix package.</summary>
public sealed class PostfixPeer : IAsyncDisposable
{
    private readonly string _root;

    private PostfixPeer(string root, int port)
    {
        _root = root;
        Port = port;
    }

    public int Port { get; }
    private string ConfigDir => Path.Combine(_root, "etc");
    public string LogFile => Path.Combine(_root, "maillog");

    public static bool Available => Environment.UserName == "root" && File.Exists("/usr/sbin/postfix") && File.Exists("/etc/postfix/master.cf");

    /// <summary>Starts Postfix relaying mail for <paramref name="domain"/> to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static async Task<PostfixPeer> StartAsync(string domain, int targetPort)
    {
        var root = Directory.CreateTempSubdirectory("vigil-postfix-").FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        var port = LoopbackPort.Free();
        var etc = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "queue"));
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(etc, "main.cf"), $$"""
            compatibility_level = 3.6
            queue_directory = {{root}}/queue
            data_directory = {{data}}
            meta_directory = {{etc}}
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = peer.example.net
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            relay_domains = {{domain}}
            transport_maps = inline:{ {{domain}}=smtp:[127.0.0.1]:{{targetPort}} }
            smtp_host_lookup = native
            smtp_tls_security_level = none
            minimal_backoff_time = 1s
            maximal_backoff_time = 2s
            queue_run_delay = 1s
            maillog_file = {{root}}/maillog
            maillog_file_prefixes = {{root}}
            """);
        var master = (await File.ReadAllLinesAsync("/etc/postfix/master.cf"))
            .Select(l => l.StartsWith("smtp      inet", StringComparison.Ordinal) ? $"127.0.0.1:{port} inet n - n - - smtpd" : l);
        await File.WriteAllLinesAsync(Path.Combine(etc, "master.cf"), master);
        foreach (var f in new[] { "dynamicmaps.cf", "postfix-files" })
        {
            File.Copy(Path.Combine("/etc/postfix", f), Path.Combine(etc, f));
        }
        var chown = await ExternalTool.RunAsync("chown", ["postfix", data]);
        Assert.True(chown.ExitCode == 0, chown.ToString());
        var peer = new PostfixPeer(root, port);
        try
        {
            var start = await peer.PostfixAsync("start");
            Assert.True(start.ExitCode == 0, start + "\n" + peer.Log());
            await peer.WaitForListenerAsync();
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public Task<ExternalTool.Result> PostfixAsync(string command) => ExternalTool.RunAsync("postfix", ["-c", ConfigDir, command], timeout: TimeSpan.FromSeconds(30));

    /// <summary>Asks the queue manager to retry every deferred message now (<c>postqueue -f</c>).</summary>
    public Task<ExternalTool.Result> FlushAsync() => ExternalTool.RunAsync("postqueue", ["-c", ConfigDir, "-f"], timeout: TimeSpan.FromSeconds(30));

    /// <summary>The queue listing (<c>postqueue -p</c>); "Mail queue is empty" when all was delivered.</summary>
    public async Task<string> QueueAsync() => (await ExternalTool.RunAsync("postqueue", ["-c", ConfigDir, "-p"], timeout: TimeSpan.FromSeconds(30))).Stdout;

    public string Log() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private async Task WaitForListenerAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("postfix did not start listening\n" + Log());
    }


    public async ValueTask DisposeAsync()
    {
        await PostfixAsync("stop");
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
