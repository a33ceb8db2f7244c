using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Hardening;

/// <summary>Issue 6 item 8: the data directory is private (0700, secrets 0600), <c>vigil serve</c>
/// refuses a directory other users can read, and refuses root unless told <c>--allow-root</c>.
/// Every case runs the real <c>vigil</c> executable.</summary>
public sealed class LeastPrivilegeTests : IDisposable
{
    private const UnixFileMode GroupOrOthers = (UnixFileMode)0b000_111_111;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vigil-lp-" + Guid.NewGuid().ToString("N")[..10]);

    [Theory]
    [InlineData(0u, false, true)]
    [InlineData(0u, true, false)]
    [InlineData(1000u, false, false)]
    [InlineData(1000u, true, false)]
    public void Root_is_refused_unless_allowed(uint euid, bool allowRoot, bool refused) =>
        Assert.Equal(refused, RootGuard.Check(euid, allowRoot) is not null);

    [Fact]
    public async Task A_fresh_data_directory_is_private_and_every_secret_is_0600()
    {
        var init = await VigilCli.RunAsync(_root, "init", "--hostname", "mail.example.test", "--port-offset", "40000");
        Assert.True(init.ExitCode == 0, init.ToString());
        var keyFile = Path.Combine(_root, "secrets", "backup.key");
        var keygen = await VigilCli.RunAsync(_root, "backup", "keygen", keyFile);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_root));
        var data = new DataDirectory(_root);
        string[] secrets = [data.KeyFile, data.InstanceKeyFile, data.ConfigFile, keyFile];
        foreach (var secret in secrets) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        // Nothing below the root grants group or others anything: directories 0700, files at most 0644 (the public certificate).
        foreach (var dir in Directory.EnumerateDirectories(_root, "*", SearchOption.AllDirectories))
            Assert.True((File.GetUnixFileMode(dir) & GroupOrOthers) == 0, $"{dir} is {File.GetUnixFileMode(dir)}");
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Except([data.CertificateFile]))
            Assert.True((File.GetUnixFileMode(file) & GroupOrOthers) == 0, $"{file} is {File.GetUnixFileMode(file)}");
    }

    [Theory]
    [InlineData("", "755", "chmod 700")]
    [InlineData("certs/key.pem", "640", "chmod 600")]
    [InlineData("secrets/instance.key", "604", "chmod 600")]
    public async Task Serve_refuses_a_data_directory_other_users_can_read(string relative, string mode, string fix)
    {
        var init = await VigilCli.RunAsync(_root, "init", "--hostname", "mail.example.test", "--port-offset", "40000");
        Assert.True(init.ExitCode == 0, init.ToString());
        var path = Path.Combine(_root, relative);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));

        var serve = await VigilCli.RunAsync(_root, ServeArgs(allowRoot: true));

        Assert.Equal(1, serve.ExitCode);
        var line = Assert.Single(serve.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("vigil: refusing to start:", line, StringComparison.Ordinal);
        Assert.Contains($"{fix} {Path.GetFullPath(path).TrimEnd('/')}", line, StringComparison.Ordinal);
        Assert.False(File.Exists(new DataDirectory(_root).StatusFile));
    }

    /// <summary>The suite runs as root on CI (`id -u` is 0): the real CLI must refuse without the
    /// flag, with one line on stderr and exit 1, and start with it.</summary>
    [Fact]
    public async Task Serve_as_root_needs_allow_root()
    {
        var id = await ExternalTool.RunAsync("id", ["-u"]);
        var isRoot = id.Stdout.Trim() == "0";
        Assert.Equal(isRoot, RootGuard.EffectiveUserId() == 0);
        var (data, _) = TestServer.InitializeData();
        try
        {
            if (isRoot)
            {
                var refused = await VigilCli.RunAsync(data.Root, ServeArgs(allowRoot: false));
                Assert.Equal(1, refused.ExitCode);
                Assert.Equal($"vigil: {RootGuard.Refusal}", refused.Stderr.Trim());
                Assert.False(File.Exists(data.StatusFile));
            }
            // VigilProcess passes --allow-root when the euid is 0, and waits for run/status.json.
            await using var server = await VigilProcess.StartAsync(data);
            Assert.NotEmpty(server.Status.Listeners);
            if (isRoot) Assert.Contains(server.Output, l => l.Contains("[11050]", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(data.Root, recursive: true);
        }
    }

    private static string[] ServeArgs(bool allowRoot) => allowRoot ? ["serve", "--allow-root"] : ["serve"];

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
