namespace Vigil.Ops.Backup.Format;

/// <summary>A restore point, or one file of it, failed verification. <see cref="File"/> names the
/// target object (or <c>manifest.json</c>) that is wrong.</summary>
public sealed class BackupVerificationException(string file, string problem) : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}
