namespace Vigil.Host.Config;

/// <summary>The embedded store (docs/storage.md).</summary>
public sealed class StorageConfig
{
    /// <summary>Message bodies up to this many bytes are kept in the database, committed with their
    /// message row; larger ones are files under blobs/. 0 makes every body a file (each then costs
    /// its own fsyncs before the reply). At most 1 MiB.</summary>
    public int InlineBodyLimit { get; set; } = Vigil.Storage.Sqlite.Blobs.InlineBlobStore.DefaultInlineLimit;

    /// <summary>How often the server deletes bodies of deleted mail whose grace period is over
    /// (docs/storage.md, "Deleted mail"). 0 turns deletion off: bodies then stay until it is on again.</summary>
    public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>How long a body stays after the last message or queue entry naming it is gone:
    /// what a session that read the message just before has to read the body, and the window in
    /// which a new delivery of the same content reuses it.</summary>
    public int DeletedBodyGraceSeconds { get; set; } = 300;

    /// <summary>Bodies deleted per round at most (each round is one short write transaction).</summary>
    public int SweepBatch { get; set; } = 500;
}
