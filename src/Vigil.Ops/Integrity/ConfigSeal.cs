using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Security.Keys;

namespace Vigil.Ops.Integrity;

/// <summary>Vigil's own record of the config it last wrote: <c>vigil.json.seal</c> holds the SHA-256
/// of <c>vigil.json</c>, signed with the instance key. Every save through Vigil renews it, so a config
/// that no longer matches its seal was changed some other way: an editor, a script, an attacker.</summary>
public static class ConfigSeal
{
    public const string FileName = "vigil.json.seal";
    private const string Domain = "vigil-config-seal/1";

    private sealed record Seal(string Sha256, DateTimeOffset Time, string Signature);

    /// <summary>Seals the config as it is now on disk (call right after writing it).</summary>
    public static void Write(string configFile, string sealFile, InstanceKey key)
    {
        var hash = Hash(configFile);
        var time = DateTimeOffset.UtcNow;
        var signature = Convert.ToBase64String(key.Sign(SignedBytes(hash, time)));
        var tmp = sealFile + ".tmp";
        Vigil.Security.SecretFile.WriteAllText(tmp, JsonSerializer.Serialize(new Seal(hash, time, signature))); // 0600 like the config it seals
        File.Move(tmp, sealFile, overwrite: true);
    }

    /// <summary>Null when the config matches a seal signed by <paramref name="publicKey"/>, otherwise what is wrong.</summary>
    public static string? Check(string configFile, string sealFile, byte[] publicKey)
    {
        if (!File.Exists(configFile)) return "vigil.json is missing";
        Seal? seal;
        try
        {
            seal = JsonSerializer.Deserialize<Seal>(File.ReadAllText(sealFile));
        }
        catch (Exception ex) when (ex is FileNotFoundException or JsonException)
        {
            return "vigil.json has no valid seal: it was not written by Vigil";
        }
        if (seal?.Sha256 is null || seal.Signature is null || !InstanceKey.Verify(publicKey, SignedBytes(seal.Sha256, seal.Time), FromBase64(seal.Signature)))
        {
            return "the seal of vigil.json is not signed by this instance: it was forged or edited";
        }
        var hash = Hash(configFile);
        return hash == seal.Sha256 ? null : $"vigil.json changed outside Vigil (sha256 {hash[..12]}…, Vigil last wrote {seal.Sha256[..12]}… at {seal.Time:yyyy-MM-ddTHH:mm:ssZ})";
    }

    private static string Hash(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    private static byte[] SignedBytes(string hash, DateTimeOffset time) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Domain}\n{hash}\n{time.ToUniversalTime():O}\n"));

    private static byte[] FromBase64(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var n) ? bytes[..n] : [];
    }
}
