namespace Vigil.Ops.Advisories;

/// <summary>Reads the signed feed bytes from the configured source: a local file or an http(s)
/// URL. The source comes only from the admin's config or command line, never from a message.
/// Reads are bounded in size and time; what comes back is only ever verified, never trusted.</summary>
public sealed class FeedFetcher(HttpClient http, string dataDirectory)
{
    public static bool IsUrl(string source) =>
        source.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The bytes, or the refusal saying why they could not be read.</summary>
    public async Task<(byte[]? Bytes, FeedRefusal? Refusal)> FetchAsync(string source, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(timeout);
            return IsUrl(source) ? await FetchUrlAsync(new Uri(source), cts.Token) : await ReadFileAsync(source, cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new FeedRefusal(FeedRefusalReason.Unavailable, $"fetching {source} timed out after {timeout.TotalSeconds:0} s"));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException or UriFormatException)
        {
            return (null, new FeedRefusal(FeedRefusalReason.Unavailable, $"cannot read {source}: {ex.Message}"));
        }
    }

    private async Task<(byte[]?, FeedRefusal?)> FetchUrlAsync(Uri url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
            return (null, new FeedRefusal(FeedRefusalReason.Unavailable, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}"));
        if (response.Content.Headers.ContentLength > AdvisoryStore.MaxFeedBytes) return (null, TooLarge(url.ToString()));
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        return await ReadBoundedAsync(body, url.ToString(), ct);
    }

    private async Task<(byte[]?, FeedRefusal?)> ReadFileAsync(string source, CancellationToken ct)
    {
        var path = Path.IsPathRooted(source) ? source : Path.Combine(dataDirectory, source);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        return await ReadBoundedAsync(file, source, ct);
    }

    private static async Task<(byte[]?, FeedRefusal?)> ReadBoundedAsync(Stream stream, string source, CancellationToken ct) =>
        await Files.BoundedRead.ReadAllAsync(stream, AdvisoryStore.MaxFeedBytes, ct) is { } bytes ? (bytes, null) : (null, TooLarge(source));

    private static FeedRefusal TooLarge(string source) => new(FeedRefusalReason.TooLarge, $"{source} is larger than {AdvisoryStore.MaxFeedBytes / 1024} KiB");
}
