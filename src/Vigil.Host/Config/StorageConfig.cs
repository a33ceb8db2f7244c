namespace Vigil.Host.Config;

/// <summary>The embedded store (docs/storage.md).</summary>
public sealed class StorageConfig
{
    /// <summary>Message bodies up to this many bytes are kept in the database, committed with their
    /// message row; larger ones are files under blobs/. 0 makes every body a file (each then costs
    /// its own fsyncs before the reply). At most 1 MiB.</summary>
    public int InlineBodyLimit { get; set; } = Vigil.Storage.Sqlite.Blobs.InlineBlobStore.DefaultInlineLimit;
}
