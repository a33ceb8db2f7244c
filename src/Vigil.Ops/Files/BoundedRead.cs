namespace Vigil.Ops.Files;

/// <summary>Reads a whole stream that a peer controls, up to a limit.</summary>
public static class BoundedRead
{
    /// <summary>The bytes, or null when the stream holds more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAllAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
