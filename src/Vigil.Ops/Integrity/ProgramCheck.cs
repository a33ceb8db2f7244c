using Vigil.Ops.Alerts;

namespace Vigil.Ops.Integrity;

/// <summary>Compares the program directory with its signed manifest.</summary>
public static class ProgramCheck
{
    /// <param name="pinnedKey">The manifest key this instance trusts (pinned at first sight); null
    /// before one was pinned, when any validly signed manifest is accepted.</param>
    public static IReadOnlyList<IntegrityFinding> Run(string directory, ProgramManifest? manifest, byte[]? pinnedKey)
    {
        if (manifest is null)
        {
            return pinnedKey is null ? [] : [new IntegrityFinding(AlertKinds.ManifestInvalid, ProgramManifest.FileName, "the signed program manifest is missing or unreadable")];
        }
        if (!manifest.SignatureValid()) return [new IntegrityFinding(AlertKinds.ManifestInvalid, ProgramManifest.FileName, "the program manifest's signature does not verify: it was edited")];
        if (pinnedKey is not null && !pinnedKey.AsSpan().SequenceEqual(manifest.PublicKeyBytes))
        {
            return [new IntegrityFinding(AlertKinds.ManifestInvalid, ProgramManifest.FileName, "the program manifest is signed by a key this instance does not trust")];
        }
        var findings = new List<IntegrityFinding>();
        var expected = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        foreach (var path in ProgramManifest.Enumerate(directory))
        {
            var relative = ProgramManifest.Relative(directory, path);
            var finding = CheckFile(directory, relative, expected.GetValueOrDefault(relative));
            if (finding is not null) findings.Add(finding);
            expected.Remove(relative);
        }
        findings.AddRange(expected.Keys.Select(p => new IntegrityFinding(AlertKinds.ProgramRemoved, p, "a program file listed in the manifest is gone")));
        return findings;
    }

    /// <summary>Checks one file that exists; null when it matches the manifest.</summary>
    public static IntegrityFinding? CheckFile(string directory, string relative, ProgramFile? expected)
    {
        if (expected is null) return new IntegrityFinding(AlertKinds.ProgramAdded, relative, "a file that is not part of the published program");
        ProgramFile actual;
        try
        {
            actual = ProgramManifest.Describe(directory, Path.Combine(directory, relative));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new IntegrityFinding(AlertKinds.ProgramRemoved, relative, "a program file listed in the manifest is gone");
        }
        return actual.Sha256 == expected.Sha256 ? null : new IntegrityFinding(AlertKinds.ProgramChanged, relative, $"content differs from the published program (sha256 {actual.Sha256[..12]}…, expected {expected.Sha256[..12]}…)");
    }
}
