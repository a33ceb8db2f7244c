using System.Runtime.InteropServices;

namespace Vigil.Host.Hosting;

/// <summary><c>vigil serve</c> does not run as root: a mail server parses hostile input all day,
/// and a bug in it should not own the machine. Binding ports below 1024 needs only
/// CAP_NET_BIND_SERVICE (deploy/vigil.service); an admin who really means it passes --allow-root.</summary>
public static partial class RootGuard
{
    public const string Refusal = "refusing to run as root (effective uid 0): run as a dedicated user (see deploy/vigil.service and docs/security.md), or pass --allow-root";

    /// <summary>The one line to print and exit with, or null when the server may start.</summary>
    public static string? Check(uint effectiveUserId, bool allowRoot) => effectiveUserId == 0 && !allowRoot ? Refusal : null;

    /// <summary>geteuid(2); on Windows there is no root, so a value that is never 0.</summary>
    public static uint EffectiveUserId() => OperatingSystem.IsWindows() ? uint.MaxValue : geteuid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}
