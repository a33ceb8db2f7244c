using System.Text.Json;
using Vigil.Ops.Files;

namespace Vigil.Ops.Principals;

/// <summary>The privileged principals seen at the last check, <c>DATA/audit/principals.json</c>.
/// Anything present now and not in it is new. A missing baseline counts as empty, so deleting it
/// makes every current principal alert again rather than hiding a new one.</summary>
public sealed class PrincipalBaseline(string file)
{
    public const string FileName = "principals.json";

    public IReadOnlySet<string> Load()
    {
        try
        {
            return JsonSerializer.Deserialize<HashSet<string>>(File.ReadAllText(file)) ?? [];
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return new HashSet<string>();
        }
    }

    public void Save(IEnumerable<string> ids) => AtomicFile.WriteAllBytes(file, JsonSerializer.SerializeToUtf8Bytes(ids.Order(StringComparer.Ordinal).ToArray()));
}
