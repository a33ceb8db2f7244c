using System.Net;
using System.Runtime.CompilerServices;
using System.Web;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vigil.Ops.Backup.Targets;

/// <summary>A restore-point store in an S3-compatible bucket: <c>s3://bucket/prefix</c>, with the
/// endpoint from <c>?endpoint=URL</c> or <c>VIGIL_S3_ENDPOINT</c> (AWS itself when neither is set),
/// the region from <c>?region=</c> or <c>VIGIL_S3_REGION</c>, and credentials from the usual AWS
/// sources (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>, profile, instance role) — never
/// from the target string. An object is uploaded only after a HEAD finds no object of that name and
/// with <c>If-None-Match: *</c>, so stores that support conditional writes refuse an overwrite even
/// in a race. S3 has no locks: <see cref="LockAsync"/> only serialises this process, and prune's
/// grace period protects objects a concurrent create elsewhere has just written.</summary>
public sealed class S3Target : IBackupTarget
{
    private static readonly SemaphoreSlim ProcessLock = new(1, 1);
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3Target(AmazonS3Client client, string bucket, string prefix)
    {
        _client = client;
        _bucket = bucket;
        _prefix = prefix.Trim('/').Length == 0 ? "" : prefix.Trim('/') + "/";
    }

    public string Location => $"s3://{_bucket}/{_prefix}";

    public static S3Target FromUri(string location)
    {
        var uri = new Uri(location);
        var query = HttpUtility.ParseQueryString(uri.Query);
        var endpoint = query["endpoint"] ?? Environment.GetEnvironmentVariable("VIGIL_S3_ENDPOINT");
        var region = query["region"] ?? Environment.GetEnvironmentVariable("VIGIL_S3_REGION") ?? "us-east-1";
        var config = new AmazonS3Config
        {
            // Plain PUT bodies with Content-Length: every S3-compatible server understands them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return new S3Target(new AmazonS3Client(config), uri.Host, Uri.UnescapeDataString(uri.AbsolutePath));
    }

    private string Key(string path)
    {
        Format.TargetPaths.EnsureValid(path);
        return _prefix + path;
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, Key(path), ct);
            return new ResponseStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task WriteNewAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct)
    {
        var key = Key(path);
        if (await ExistsAsync(key, ct)) throw new BackupObjectExistsException(path);
        // Staged in a private temp file: the upload needs its length, and a retry needs the bytes again.
        var temp = Path.Combine(Path.GetTempPath(), "vigil-s3-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using var staged = new FileStream(temp, options);
            await write(staged, ct);
            await staged.FlushAsync(ct);
            staged.Position = 0;
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = staged,
                AutoCloseStream = false,
                UseChunkEncoding = false,
                IfNoneMatch = "*",
            }, ct);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            throw new BackupObjectExistsException(path);
        }
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, key, ct);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<TargetObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + prefix };
        while (true)
        {
            var page = await _client.ListObjectsV2Async(request, ct);
            foreach (var o in page.S3Objects ?? [])
            {
                yield return new TargetObject(o.Key[_prefix.Length..], o.Size ?? 0, o.LastModified is { } t ? new DateTimeOffset(t.ToUniversalTime()) : DateTimeOffset.UtcNow);
            }
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>A successful PUT is already durable on the server.</summary>
    public Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    public Task DeleteAsync(string path, CancellationToken ct) => _client.DeleteObjectAsync(_bucket, Key(path), ct);

    public async Task<IAsyncDisposable> LockAsync(CancellationToken ct)
    {
        if (!await ProcessLock.WaitAsync(0, ct)) throw new BackupTargetBusyException(Location);
        return new Release();
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Release : IAsyncDisposable
    {
        private int _done;
        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) ProcessLock.Release();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The body of a GET; disposing it ends the response.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Format.ReadOnlyStream
    {
        private readonly Stream _inner = response.ResponseStream;

        // The SDK checks the object's MD5 (ETag) at the end of a GET; a mismatch is damaged data.
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            try { return await _inner.ReadAsync(buffer, ct); }
            catch (AmazonClientException ex) { throw new InvalidDataException("the S3 server's checksum does not match the content (content changed): " + ex.Message, ex); }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
