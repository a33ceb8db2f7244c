namespace Vigil.Core.Storage;

/// <summary>Message bodies the store keeps inside its metadata database rather than as files in the
/// blob folder (small bodies; see the inline body limit), read back for the integrity re-hash: the
/// file walk never sees them, so a body rewritten in the database would otherwise go unnoticed.</summary>
public interface IDatabaseBlobs
{
    /// <summary>Where they are kept, as an admin would look for it (e.g. <c>vigil.db:blob_inline</c>).</summary>
    string Location { get; }

    /// <summary>Every stored body, one at a time, in pages that each hold the database open only
    /// briefly. The name is the stored key exactly as found (it may no longer be a valid blob id);
    /// the content stream is valid until the enumeration moves on.</summary>
    IEnumerable<DatabaseBlob> ReadAll(CancellationToken ct);

    /// <summary>The bodies that stored or queued messages name and the database does not hold:
    /// each should be a file in the blob folder. Ids as stored, in pages, each a short read.</summary>
    IEnumerable<string> ReferencedElsewhere(CancellationToken ct);
}

/// <summary>One body stored in the database: its key and its bytes.</summary>
public sealed record DatabaseBlob(string Name, Stream Content);
