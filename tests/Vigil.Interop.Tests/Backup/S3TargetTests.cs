using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Backup.BackupTestKit;

namespace Vigil.Interop.Tests.Backup;

/// <summary>The S3 target against s3rver, an S3-compatible server we did not write (npm): two
/// points (the second incremental), list, verify, a whole-server restore from the bucket, and an
/// object changed inside the bucket named by verify.</summary>
public sealed class S3TargetTests : IAsyncLifetime
{
    private const string Bucket = "vigil-backups";
    private readonly string _work = Temp("s3");
    private Process? _s3rver;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        var psi = new ProcessStartInfo("s3rver") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-d", Path.Combine(_work, "s3data"), "-a", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" }) psi.ArgumentList.Add(a);
        Directory.CreateDirectory(Path.Combine(_work, "s3data"));
        _s3rver = Process.Start(psi) ?? throw new InvalidOperationException("s3rver did not start (scripts/install-test-deps.sh installs it)");
        for (var i = 0; ; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, _port);
                break;
            }
            catch (SocketException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"),
            new AmazonS3Config { ServiceURL = $"http://127.0.0.1:{_port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync(Bucket);
    }

    public async Task DisposeAsync()
    {
        if (_s3rver is { HasExited: false })
        {
            _s3rver.Kill();
            await _s3rver.WaitForExitAsync();
        }
        _s3rver?.Dispose();
        MakeWritableAndDelete(_work);
    }

    private string Target => $"s3://{Bucket}/mail1?endpoint=http://127.0.0.1:{_port}";

    private static Task<ExternalTool.Result> Vigil(string data, params string[] args) =>
        ExternalTool.RunAsync("env", ["AWS_ACCESS_KEY_ID=S3RVER", "AWS_SECRET_ACCESS_KEY=S3RVER", "dotnet", Path.Combine(AppContext.BaseDirectory, "vigil.dll"), "--data", data, .. args],
            timeout: TimeSpan.FromSeconds(120));

    [Fact]
    public async Task Points_go_to_an_s3_bucket_incrementally_verify_and_restore()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("erin");
        var r = await SendAsync(server.Port("smtp"), $"erin@{TestServer.Domain}", WriteMessages(Path.Combine(_work, "a"), 1, 40), connections: 2);
        Assert.True(r.ExitCode == 0, r.ToString());
        r = await Vigil(server.Data.Root, "backup", "create", "--to", Target);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("new: 40 blobs", r.Stdout);
        await SendAsync(server.Port("smtp"), $"erin@{TestServer.Domain}", WriteMessages(Path.Combine(_work, "b"), 100, 3), connections: 1);
        r = await Vigil(server.Data.Root, "backup", "create", "--to", Target);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("new: 3 blobs", r.Stdout);
        var point = PointIdOf(r.Stdout);

        r = await Vigil(server.Data.Root, "backup", "verify", "--from", Target, "--all");
        Assert.True(r.ExitCode == 0, r.ToString());
        r = await Vigil(server.Data.Root, "backup", "list", "--from", Target);
        Assert.Contains("verified OK", r.Stdout);

        var restored = Path.Combine(_work, "restored");
        r = await Vigil(restored, "backup", "restore", point, "--from", Target);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("43 messages", r.Stdout);
        Assert.Equal(await StateAsync(server.Services, "erin"), await StateOfAsync(restored));

        // Change one stored object behind Vigil's back, inside the S3 server's own storage.
        var stored = Directory.EnumerateFiles(Path.Combine(_work, "s3data", Bucket, "mail1", "blobs"), "*._S3rver_object", SearchOption.AllDirectories).First();
        var bytes = await File.ReadAllBytesAsync(stored);
        bytes[0] ^= 1;
        await File.WriteAllBytesAsync(stored, bytes);
        r = await Vigil(server.Data.Root, "backup", "verify", "--from", Target, point);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("blobs/", r.Stdout);
        Assert.Contains("content changed", r.Stdout);
    }

    private static async Task<List<StoredMail>> StateOfAsync(string dataDirectory)
    {
        using var host = await StartOnAsync(dataDirectory);
        try { return await StateAsync(host.Services, "erin"); }
        finally { await host.StopAsync(); }
    }

}
