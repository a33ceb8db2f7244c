using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Security.Keys;

namespace Vigil.Ops.Integrity;

/// <summary>The list of every file of the published program with its size and SHA-256, signed when
/// the program is published (<c>vigil integrity manifest</c>, run by the publish target) and kept as
/// <c>vigil.manifest.json</c> next to the program. A file that is not in it, differs from it, or is
/// missing is an alert; so is a manifest whose signature does not verify with the pinned key.</summary>
public sealed record ProgramManifest(int Version, DateTimeOffset Created, string Build, IReadOnlyList<ProgramFile> Files, string PublicKey, string Signature)
{
    public const string FileName = "vigil.manifest.json";
    private const string Domain = "vigil-program-manifest/1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Hashes every file under <paramref name="directory"/> (except the manifest itself) and signs the list.</summary>
    public static ProgramManifest Create(string directory, string build, InstanceKey key)
    {
        var files = Enumerate(directory).Select(p => Describe(directory, p)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var created = DateTimeOffset.UtcNow;
        var signature = key.Sign(SignedBytes(created, build, files));
        return new ProgramManifest(1, created, build, files, Convert.ToBase64String(key.PublicKey), Convert.ToBase64String(signature));
    }

    public void Save(string directory) => File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>The manifest in <paramref name="directory"/>, or null when there is none or it cannot be read.</summary>
    public static ProgramManifest? Load(string directory)
    {
        try
        {
            return JsonSerializer.Deserialize<ProgramManifest>(File.ReadAllText(Path.Combine(directory, FileName)), Json);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public byte[] PublicKeyBytes => Convert.FromBase64String(PublicKey);

    /// <summary>True when the signature verifies with the manifest's own key; whether that key is
    /// trusted is the caller's question (it is pinned per instance).</summary>
    public bool SignatureValid()
    {
        try
        {
            return Version == 1 && InstanceKey.Verify(PublicKeyBytes, SignedBytes(Created, Build, Files), Convert.FromBase64String(Signature));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Every regular file below <paramref name="directory"/> except the manifest, as paths.</summary>
    public static IEnumerable<string> Enumerate(string directory) =>
        Directory.EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            .Where(p => Relative(directory, p) != FileName);

    public static string Relative(string directory, string path) => Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');

    public static ProgramFile Describe(string directory, string path)
    {
        using var stream = File.OpenRead(path);
        return new ProgramFile(Relative(directory, path), stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>A fixed text form of what is signed: one line per file, so the signature does not
    /// depend on JSON formatting.</summary>
    private static byte[] SignedBytes(DateTimeOffset created, string build, IEnumerable<ProgramFile> files)
    {
        var text = new StringBuilder().Append(Domain).Append('\n')
            .Append(created.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)).Append('\n')
            .Append(build).Append('\n');
        foreach (var f in files) text.Append(f.Sha256).Append(' ').Append(f.Size).Append(' ').Append(f.Path).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

/// <summary>One program file: its path relative to the program directory ('/' separators), size and SHA-256.</summary>
public sealed record ProgramFile(string Path, long Size, string Sha256);
