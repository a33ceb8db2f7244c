using Vigil.Host.Config;

namespace Vigil.Host.Setup;

/// <summary>What <c>vigil serve</c> checks before it starts: the data directory (mail, the database,
/// keys) and every secret file in it must be private to the server's user. Anything that grants
/// group or others access is a problem to fix with chmod; the server refuses to start rather than
/// serve from a directory another local user can read (docs/security.md, "File modes").</summary>
public static class DataDirectoryPermissions
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OthersRead = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>One line per problem ("PATH is mode 0755, ...: chmod 700 PATH"); empty when all is well.</summary>
    public static IReadOnlyList<string> Problems(DataDirectory data, string tlsKeyFile)
    {
        if (OperatingSystem.IsWindows()) return [];
        var problems = new List<string>();
        Check(problems, data.Root, GroupOrOthers, "700");
        foreach (var secret in SecretsOf(data)) Check(problems, secret, GroupOrOthers, "600");
        // A key outside the data directory may be shared with a group on purpose (Debian's
        // ssl-cert group for /etc/ssl/private); readable by everyone it is not.
        var keyInside = tlsKeyFile.StartsWith(data.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        Check(problems, tlsKeyFile, keyInside ? GroupOrOthers : OthersRead, "600");
        return problems;
    }

    /// <summary>The secret files <c>vigil init</c> writes (the TLS key is checked separately
    /// because the config may point it elsewhere).</summary>
    public static IEnumerable<string> SecretsOf(DataDirectory data)
    {
        yield return data.InstanceKeyFile;
        if (Directory.Exists(data.Secrets))
        {
            foreach (var f in Directory.EnumerateFiles(data.Secrets)) if (f != data.InstanceKeyFile) yield return f;
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Check(List<string> problems, string path, UnixFileMode forbidden, string fix)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & forbidden) != 0)
            problems.Add($"{path} is mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}, open to other users: chmod {fix} {path}");
    }
}
