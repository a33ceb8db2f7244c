namespace Vigil.Ops.Build;

/// <summary>What this program is: version, build number (what advisories name), commit and build
/// date, all stamped at build time.</summary>
public sealed record BuildIdentity(string Version, int BuildNumber, string Commit, string BuildDate);
