using System.Reflection;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Advisories;

/// <summary>The vendor's feed key, stamped into this assembly at build time (MSBuild property
/// <c>VigilAdvisoryVendorKey</c>). It cannot be changed without a new build.</summary>
public static class VendorKey
{
    public const string MetadataName = "VigilAdvisoryVendorKey";

    public static TrustedKey? Pinned { get; } = Load();

    private static TrustedKey? Load()
    {
        var value = typeof(VendorKey).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataName)?.Value;
        if (string.IsNullOrWhiteSpace(value) || !PublicKeyFile.TryParse(value, out var key, out _)) return null;
        return new TrustedKey(KeyId.Of(key), key, KeyOrigin.Vendor, "vendor key pinned in this build", null);
    }
}
