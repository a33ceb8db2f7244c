namespace Vigil.Ops.Integrity;

/// <summary>The program-manifest key an instance trusts. Pinned the first time a validly signed
/// manifest is seen (trust on first use), replaced only by <c>vigil integrity trust-manifest</c>;
/// after that a manifest signed by any other key is an alert.</summary>
public sealed class ManifestPin(string file)
{
    public byte[]? Load()
    {
        try
        {
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or FormatException)
        {
            return null;
        }
    }

    public void Save(byte[] publicKey)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Vigil.Security.SecretFile.WriteAllText(file, Convert.ToBase64String(publicKey) + "\n");
    }

    /// <summary>Pins the key of a validly signed manifest when nothing is pinned yet; true when it did.</summary>
    public bool PinIfFirst(ProgramManifest? manifest)
    {
        if (manifest is null || Load() is not null || !manifest.SignatureValid()) return false;
        Save(manifest.PublicKeyBytes);
        return true;
    }
}
