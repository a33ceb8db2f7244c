using Vigil.Protocols.Imap.Protocol;
using Vigil.Protocols.Imap.Protocol.Parsing;

namespace Vigil.Protocols.Imap.Session;

/// <summary>The session's view of the selected mailbox: the UIDs it has announced, in sequence
/// order (RFC 9051 §2.3.1.2), the MODSEQ up to which changes have been reported, which messages
/// are \Recent for this session, and changes the session made itself (not echoed back).</summary>
public sealed class SelectedMailbox(long id, string name, uint uidValidity, bool readOnly, List<uint> uids, long knownModSeq)
{
    private volatile bool _dirty;

    public long Id { get; } = id;
    public string Name { get; set; } = name;
    public uint UidValidity { get; } = uidValidity;
    public bool ReadOnly { get; } = readOnly;

    /// <summary>Announced UIDs, ascending; the position + 1 is the message sequence number.</summary>
    public List<uint> Uids { get; } = uids;

    /// <summary>Changes with a MODSEQ up to this have been told to the client.</summary>
    public long KnownModSeq { get; set; } = knownModSeq;

    /// <summary>Expunged elsewhere but not yet announced (EXPUNGE is not allowed during FETCH,
    /// STORE and SEARCH, RFC 9051 §7.4.1): still counted in <see cref="Uids"/>.</summary>
    public SortedSet<uint> PendingExpunges { get; } = [];

    public HashSet<uint> Recent { get; } = [];

    /// <summary>UID → MODSEQ of flag changes this session made and already reported.</summary>
    public Dictionary<uint, long> OwnChanges { get; } = [];

    /// <summary>Set by the event handler (another thread) when the mailbox changed.</summary>
    public bool Dirty
    {
        get => _dirty;
        set => _dirty = value;
    }

    public int Count => Uids.Count;

    public int SequenceOf(uint uid)
    {
        var i = SequenceSet.LowerBound(Uids, uid);
        return i < Uids.Count && Uids[i] == uid ? i + 1 : 0;
    }

    public uint UidAt(int sequence) => Uids[sequence - 1];

    /// <summary>Resolves a sequence set (message numbers, or UIDs for UID commands, or "$") to
    /// sequence numbers, ascending.</summary>
    public List<int> Resolve(SequenceSet set, bool uid, IReadOnlyList<uint>? saved)
    {
        if (set.IsSavedResult)
        {
            var result = new List<int>();
            foreach (var u in saved ?? [])
            {
                var seq = SequenceOf(u);
                if (seq > 0) result.Add(seq);
            }
            result.Sort();
            return result;
        }
        if (uid) return set.ResolveUids(Uids);
        if (!set.TryResolveSequence(Uids.Count, out var numbers)) throw new ImapParseException("Invalid message sequence number");
        return numbers;
    }

    public List<uint> UidsOf(IEnumerable<int> sequences) => sequences.Select(UidAt).ToList();
}
