using System.Text.Json;
using Vigil.Ops.Files;

namespace Vigil.Ops.Fleet.Enrollment;

/// <summary>The console's outstanding tokens, one file per token named by the token's hash
/// (<c>fleet/tokens/HASH.json</c>, holding its expiry). Consuming renames the file away, which
/// succeeds for exactly one caller, so a token enrolls at most one member.</summary>
public sealed class EnrollmentTokens(FleetPaths paths, TimeProvider time)
{
    public (EnrollmentToken Token, DateTimeOffset Expires) Create(string consoleId, TimeSpan lifetime)
    {
        RemoveExpired();
        var token = EnrollmentToken.Create(consoleId);
        var expires = time.GetUtcNow() + lifetime;
        AtomicFile.WriteAllBytes(PathOf(token.Hash), JsonSerializer.SerializeToUtf8Bytes(new Entry(time.GetUtcNow(), expires)));
        return (token, expires);
    }

    /// <summary>True while the token exists, is meant for this console and has not expired.</summary>
    public bool IsValid(EnrollmentToken token, string consoleId)
    {
        if (token.ConsoleId != consoleId) return false;
        var entry = Read(PathOf(token.Hash));
        return entry is not null && entry.Expires > time.GetUtcNow();
    }

    /// <summary>Uses the token up. False if it was already used, or expired, or never existed.</summary>
    public bool TryConsume(EnrollmentToken token, string consoleId)
    {
        if (!IsValid(token, consoleId)) return false;
        var path = PathOf(token.Hash);
        var used = path + $".{Guid.NewGuid():N}.used";
        try
        {
            File.Move(path, used);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        File.Delete(used);
        return true;
    }

    public int Outstanding() =>
        Directory.Exists(paths.Tokens) ? Directory.GetFiles(paths.Tokens, "*.json").Count(f => Read(f)?.Expires > time.GetUtcNow()) : 0;

    private void RemoveExpired()
    {
        if (!Directory.Exists(paths.Tokens)) return;
        foreach (var f in Directory.GetFiles(paths.Tokens, "*.json"))
        {
            if (Read(f) is not { } e || e.Expires <= time.GetUtcNow()) File.Delete(f);
        }
    }

    private string PathOf(string hash) => Path.Combine(paths.Tokens, hash + ".json");

    private static Entry? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Entry>(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record Entry(DateTimeOffset Created, DateTimeOffset Expires);
}
