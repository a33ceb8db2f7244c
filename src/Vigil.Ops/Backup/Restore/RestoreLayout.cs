namespace Vigil.Ops.Backup.Restore;

/// <summary>Where a whole-server restore puts things in the new data directory: the database file,
/// the blob folder, and (by their data-relative paths) the other files of the point.</summary>
public sealed record RestoreLayout(string DataDirectory, string DatabasePath, string BlobRoot);
