namespace Vigil.Ops.Advisories;

/// <summary>Where the advisory state lives: <c>DATA/advisories/</c>.</summary>
public sealed record AdvisoryPaths(string Directory)
{
    /// <summary>The last accepted feed, exactly as signed (verified again whenever it is read).</summary>
    public string Feed => Path.Combine(Directory, "feed.json");
    public string State => Path.Combine(Directory, "state.json");
    public string TrustedKeys => Path.Combine(Directory, "trusted-keys.json");
    public string Lock => Path.Combine(Directory, ".lock");
}
