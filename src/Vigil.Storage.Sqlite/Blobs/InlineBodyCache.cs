namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>The most recently read small bodies, bounded in bytes, least recently used out first.
/// A body is named by the hash of its content and never changes, so an entry cannot go stale and
/// needs no invalidation. Why: clients fetch the same newest messages again and again (headers on
/// every sync, then the body that is opened), and each read of a row costs SQLite page reads that
/// start cold after any commit (in WAL mode a connection drops its page cache whenever another
/// connection has written). Under the IMAP load of bench/ these reads were 12 of the 27 queries per
/// round of commands.</summary>
internal sealed class InlineBodyCache(long capacityBytes)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, byte[] Data)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, byte[] Data)> _order = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public byte[]? Get(string id)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue(id, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Data;
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            if (!_map.Remove(id, out var node)) return;
            _order.Remove(node);
            _bytes -= node.Value.Data.Length;
        }
    }

    public void Add(string id, byte[] data)
    {
        if (data.Length > capacityBytes) return;
        lock (_lock)
        {
            if (_map.ContainsKey(id)) return;
            _map[id] = _order.AddFirst((id, data));
            _bytes += data.Length;
            while (_bytes > capacityBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _map.Remove(last.Value.Id);
                _bytes -= last.Value.Data.Length;
            }
        }
    }
}
