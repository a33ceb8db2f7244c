using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vigil.Interop.Tests.Outbound.Peers;

/// <summary>A third-party daemon (dnsmasq, smtp-sink) run in the foreground for one test, with
/// its output kept for failure messages and killed on dispose.</summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static PeerProcess Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var peer = new PeerProcess(p);
        p.OutputDataReceived += (_, e) => peer.Append(e.Data);
        p.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return peer;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Waits until the peer accepts TCP connections on <paramref name="endPoint"/>.</summary>
    public async Task WaitForTcpAsync(IPEndPoint endPoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{_process.StartInfo.FileName} exited: {Output}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(endPoint);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"{_process.StartInfo.FileName} is not listening on {endPoint}: {Output}");
    }

    /// <summary>Waits until the peer has printed <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{_process.StartInfo.FileName} exited: {Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_process.StartInfo.FileName} did not say '{text}': {Output}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>A TCP port free on every loopback address we use (tests pick one port per test and
    /// put several fake MX hosts on it, one per address, because MX delivery uses one port).</summary>
    public static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            if (Loopback.All.All(a => IsFree(a, port)) || attempt > 20) return port;
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>The loopback addresses the fake Internet lives on (all of 127/8 is loopback on Linux).</summary>
public static class Loopback
{
    public static readonly IPAddress Mx1 = IPAddress.Parse("127.0.0.2");
    public static readonly IPAddress Mx2 = IPAddress.Parse("127.0.0.3");
    public static readonly IPAddress Mx3 = IPAddress.Parse("127.0.0.4");
    public static readonly IPAddress Dns = IPAddress.Parse("127.0.0.53");
    public static readonly IPAddress[] All = [Mx1, Mx2, Mx3, Dns];
}
