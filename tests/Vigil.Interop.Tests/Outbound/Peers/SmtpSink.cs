using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Interop.Tests.Outbound.Peers;

/// <summary>Postfix's smtp-sink as a remote MX: accepts (or, with -r/-f, refuses with 4xx/5xx)
/// and writes each received transaction to its own file in <see cref="DumpDirectory"/>.</summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly PeerProcess _process;

    private SmtpSink(PeerProcess process, IPEndPoint endPoint, string dumpDirectory)
    {
        _process = process;
        EndPoint = endPoint;
        DumpDirectory = dumpDirectory;
    }

    public IPEndPoint EndPoint { get; }
    public string DumpDirectory { get; }
    public string Log => _process.Output;

    /// <param name="extra">smtp-sink options, e.g. "-r", "RCPT" for a 4xx to every RCPT.</param>
    public static async Task<SmtpSink> StartAsync(IPAddress address, int port, string? dumpDirectory = null, params string[] extra)
    {
        var dump = dumpDirectory ?? Directory.CreateTempSubdirectory("vigil-sink-").FullName;
        Directory.CreateDirectory(dump);
        // smtp-sink drops root for -u postfix and then writes the dump files.
        File.SetUnixFileMode(dump, (UnixFileMode)0x1FF);
        var args = new List<string> { "-v", "-c" };
        if (PeerProcess.IsRoot) args.AddRange(["-u", "postfix"]);
        args.AddRange(["-d", Path.Combine(dump, "%M.")]);
        args.AddRange(extra);
        args.Add($"{address}:{port}");
        args.Add("100");
        var process = PeerProcess.Start("/usr/sbin/smtp-sink", args);
        var endPoint = new IPEndPoint(address, port);
        await process.WaitForTcpAsync(endPoint);
        return new SmtpSink(process, endPoint, dump);
    }

    /// <summary>Every received transaction, as smtp-sink wrote it (its X-* envelope lines first).</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.Exists(DumpDirectory) ? Directory.EnumerateFiles(DumpDirectory).Select(f => File.ReadAllText(f, Encoding.UTF8)).ToList() : [];

    /// <summary>The Message-Id of every received message (duplicates included).</summary>
    public IReadOnlyList<string> MessageIds() =>
        Messages().Select(m => MessageIdLine().Match(m)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"^Message-I[dD]: *(<[^>]+>)", RegexOptions.Multiline)]
    private static partial Regex MessageIdLine();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
