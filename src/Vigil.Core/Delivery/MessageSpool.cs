namespace Vigil.Core.Delivery;

/// <summary>Holds a message while it is received and checked, before it becomes a blob: in memory
/// up to <see cref="MemoryLimit"/>, then in a private temporary file (named by us, mode 0600,
/// deleted on dispose). Nothing here is durable; the blob written after the checks is.</summary>
public sealed class MessageSpool(string? overflowDirectory = null) : IAsyncDisposable
{
    public const int MemoryLimit = 256 * 1024;

    private MemoryStream? _memory = new();
    private FileStream? _file;
    private string? _path;

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_memory is not null && _memory.Length + data.Length > MemoryLimit) await OverflowAsync(ct);
        if (_file is not null) await _file.WriteAsync(data, ct);
        else _memory!.Write(data.Span);
        Length += data.Length;
    }

    /// <summary>A read-only view of everything written so far, from the start.</summary>
    public async Task<Stream> OpenReadAsync(CancellationToken ct)
    {
        if (_memory is not null) return new MemoryStream(_memory.GetBuffer(), 0, (int)_memory.Length, writable: false);
        await _file!.FlushAsync(ct);
        return new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    private async Task OverflowAsync(CancellationToken ct)
    {
        var directory = overflowDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".spool");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        _file = new FileStream(_path, options);
        await _file.WriteAsync(_memory!.GetBuffer().AsMemory(0, (int)_memory.Length), ct);
        _memory = null;
    }

    public async ValueTask DisposeAsync()
    {
        _memory = null;
        if (_file is not null) await _file.DisposeAsync();
    }
}
