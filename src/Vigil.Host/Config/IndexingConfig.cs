namespace Vigil.Host.Config;

/// <summary>The full-text index (docs/imap.md, "Full-text index").</summary>
public sealed class IndexingConfig
{
    /// <summary>Index new mail in the background. Off, text is indexed only when a search needs
    /// it (each SEARCH BODY/TEXT first indexes its own mailbox's queue), so searches get slower
    /// and nothing else changes; tests use it to prove exactly that.</summary>
    public bool Background { get; set; } = true;

    /// <summary>The longest the background indexer waits for mail to stop arriving before it
    /// indexes alongside deliveries.</summary>
    public int MaxDeferSeconds { get; set; } = 30;
}
