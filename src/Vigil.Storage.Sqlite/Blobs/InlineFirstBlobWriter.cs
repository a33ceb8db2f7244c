using System.Security.Cryptography;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Storage.Sqlite.Blobs;

/// <summary>Keeps a new blob in memory while it fits the inline limit; the first write that would
/// pass it moves everything to a <see cref="FileBlobWriter"/>, which takes the rest as a stream.</summary>
internal sealed class InlineFirstBlobWriter(InlineBlobStore store) : IBlobWriter
{
    private MemoryStream? _memory = new();
    private IBlobWriter? _file;

    public long Length => _file?.Length ?? _memory!.Length;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_file is null && _memory!.Length + data.Length > store.InlineLimit)
        {
            _file = store.Files.CreateWriter();
            await _file.WriteAsync(_memory.GetBuffer().AsMemory(0, (int)_memory.Length), ct);
            _memory = null;
        }
        if (_file is not null) await _file.WriteAsync(data, ct);
        else _memory!.Write(data.Span);
    }

    public Task<BlobId> CommitAsync(CancellationToken ct)
    {
        if (_file is not null) return _file.CommitAsync(ct);
        ct.ThrowIfCancellationRequested();
        var bytes = _memory!.ToArray();
        var id = BlobId.FromHash(SHA256.HashData(bytes));
        store.PutInline(id, bytes);
        return Task.FromResult(id);
    }

    public ValueTask DisposeAsync() => _file?.DisposeAsync() ?? ValueTask.CompletedTask;
}
