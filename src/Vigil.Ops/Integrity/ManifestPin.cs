namespace Vigil.Ops.Integrity;

/// <summary>The program-manifest key an instance trusts. Either set by the admin
/// (<c>integrity.manifestPublicKey</c>, <paramref name="configured"/>), which then always wins, or
/// pinned the first time a validly signed manifest is seen (trust on first use) and replaced only
/// by <c>vigil integrity trust-manifest</c>. After that a manifest signed by any other key is an alert.</summary>
public sealed class ManifestPin(string file, byte[]? configured = null)
{
    /// <summary>True when the key comes from the config, so nothing is pinned on first sight.</summary>
    public bool IsConfigured => configured is not null;

    public byte[]? Load()
    {
        if (configured is not null) return configured;
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
        if (configured is not null || manifest is null || Load() is not null || !manifest.SignatureValid()) return false;
        Save(manifest.PublicKeyBytes);
        return true;
    }
}
