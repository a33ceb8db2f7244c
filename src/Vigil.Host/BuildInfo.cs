using System.Globalization;
using System.Reflection;

namespace Vigil.Host;

/// <summary>What this binary is, as stamped by MSBuild at build time (never hand-edited).</summary>
public sealed record BuildInfo(string Version, int BuildNumber, string Commit, string BuildDate)
{
    public static BuildInfo Current { get; } = Read(typeof(BuildInfo).Assembly);

    public static BuildInfo Read(Assembly assembly)
    {
        var meta = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "");
        return new BuildInfo(
            meta.GetValueOrDefault("VigilVersion", "0.0.0"),
            int.TryParse(meta.GetValueOrDefault("VigilBuildNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
            meta.GetValueOrDefault("VigilCommit", "unknown"),
            meta.GetValueOrDefault("VigilBuildDate", "unknown"));
    }

    public override string ToString() => $"vigil {Version} (build {BuildNumber}, commit {Commit[..Math.Min(12, Commit.Length)]}, built {BuildDate})";
}
