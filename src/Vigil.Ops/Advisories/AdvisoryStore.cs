using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.Ops.Files;

namespace Vigil.Ops.Advisories;

/// <summary>Reads and writes the advisory state and the last accepted feed. The stored feed is
/// verified again every time it is read, so a feed edited on disk is not believed either.</summary>
public sealed partial class AdvisoryStore(AdvisoryPaths paths)
{
    public const int MaxFeedBytes = 1 << 20;
    private (long Length, DateTime Written, string KeyIds, VerifiedFeed? Feed, FeedRefusal? Refusal)? _cache;
    private readonly Lock _cacheLock = new();

    public AdvisoryPaths Paths => paths;

    public AdvisoryState LoadState() =>
        File.Exists(paths.State)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(paths.State), StateContext.Default.AdvisoryState) ?? new AdvisoryState()
            : new AdvisoryState();

    internal void SaveState(AdvisoryState state) =>
        AtomicFile.WriteAllBytes(paths.State, JsonSerializer.SerializeToUtf8Bytes(state, StateContext.Default.AdvisoryState));

    internal void SaveFeed(ReadOnlySpan<byte> signed) => AtomicFile.WriteAllBytes(paths.Feed, signed);

    /// <summary>The stored feed if it still verifies against <paramref name="keyring"/>, with the
    /// refusal otherwise (null, null when there is no stored feed).</summary>
    public (VerifiedFeed? Feed, FeedRefusal? Refusal) LoadFeed(AdvisoryKeyring keyring)
    {
        var info = new FileInfo(paths.Feed);
        if (!info.Exists) return (null, null);
        var keyIds = string.Join(",", keyring.Keys.Select(k => k.KeyId));
        lock (_cacheLock)
        {
            if (_cache is { } c && c.Length == info.Length && c.Written == info.LastWriteTimeUtc && c.KeyIds == keyIds) return (c.Feed, c.Refusal);
        }
        FeedRefusal? refusal;
        VerifiedFeed? feed = null;
        if (info.Length > MaxFeedBytes)
        {
            refusal = new FeedRefusal(FeedRefusalReason.TooLarge, "stored feed is larger than 1 MiB");
        }
        else
        {
            refusal = FeedVerifier.Verify(File.ReadAllBytes(paths.Feed), keyring, out var verified);
            if (refusal is null) feed = verified;
        }
        lock (_cacheLock) _cache = (info.Length, info.LastWriteTimeUtc, keyIds, feed, refusal);
        return (feed, refusal);
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(AdvisoryState))]
    internal sealed partial class StateContext : JsonSerializerContext;
}
