using Vigil.Ops.Backup.Crypto;
using Vigil.Ops.Backup.Targets;

namespace Vigil.Ops.Backup.Format;

/// <summary>Vigil's restore-point format over any <see cref="IBackupTarget"/>: the header, points,
/// manifests and objects, each read with its hash checked against what the signed manifest says.</summary>
public sealed class BackupRepository
{
    private BackupRepository(IBackupTarget target, TargetHeader header, ObjectCodec codec)
    {
        Target = target;
        Header = header;
        Codec = codec;
    }

    public IBackupTarget Target { get; }
    public TargetHeader Header { get; }
    public ObjectCodec Codec { get; }

    /// <summary>Opens an existing target; <paramref name="key"/> is required when it is encrypted,
    /// unless <paramref name="keyOptional"/> (listing, verifying and pruning read no content).</summary>
    public static async Task<BackupRepository> OpenAsync(IBackupTarget target, BackupKey? key, CancellationToken ct, bool keyOptional = false)
    {
        var header = await ReadHeaderAsync(target, ct) ?? throw new InvalidOperationException($"{target.Location} holds no Vigil backups ({TargetPaths.Header} is missing).");
        return new BackupRepository(target, header, CodecFor(header, key, target.Location, keyOptional));
    }

    /// <summary>Opens a target, creating its header on first use with the given settings. The
    /// settings of an existing target cannot change: a different compression or key is an error.</summary>
    public static async Task<BackupRepository> OpenOrCreateAsync(IBackupTarget target, BackupKey? key, bool compress, bool compressionExplicit, string creatorPublicKey, string hostname, CancellationToken ct)
    {
        var header = await ReadHeaderAsync(target, ct);
        if (header is null)
        {
            var fresh = new TargetHeader(TargetHeader.CurrentFormat, DateTimeOffset.UtcNow, compress, key is not null, key?.KeyId, creatorPublicKey, hostname);
            try
            {
                await target.WriteNewAsync(TargetPaths.Header, (s, c) => s.WriteAsync(BackupJson.Serialize(fresh), c).AsTask(), ct);
                header = fresh;
            }
            catch (BackupObjectExistsException)
            {
                header = await ReadHeaderAsync(target, ct) ?? throw new InvalidOperationException("Target header vanished.");
            }
        }
        if (compressionExplicit && header.Compressed != compress)
        {
            throw new InvalidOperationException($"{target.Location} was created with compression {(header.Compressed ? "on" : "off")}; a target's settings never change (use a new target to change them).");
        }
        return new BackupRepository(target, header, CodecFor(header, key, target.Location, keyOptional: false));
    }

    private static ObjectCodec CodecFor(TargetHeader header, BackupKey? key, string location, bool keyOptional)
    {
        if (header.Format != TargetHeader.CurrentFormat) throw new InvalidDataException($"{location} uses format '{header.Format}', which this build does not read.");
        if (header.Encrypted && key is null && keyOptional) return new ObjectCodec(header.Compressed, null) { Locked = true };
        if (header.Encrypted && key is null) throw new InvalidOperationException($"{location} is encrypted; give its key file (--key-file).");
        if (!header.Encrypted && key is not null) throw new InvalidOperationException($"{location} is not encrypted, but a key file was given; a target's settings never change.");
        if (key is not null && key.KeyId != header.KeyId) throw new InvalidOperationException($"The key file does not belong to {location} (key id {key.KeyId}, target expects {header.KeyId}).");
        return new ObjectCodec(header.Compressed, key);
    }

    private static async Task<TargetHeader?> ReadHeaderAsync(IBackupTarget target, CancellationToken ct)
    {
        await using var s = await target.OpenReadAsync(TargetPaths.Header, ct);
        if (s is null) return null;
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer, ct);
        return BackupJson.Deserialize<TargetHeader>(buffer.ToArray(), TargetPaths.Header);
    }

    /// <summary>Every point in the target, complete or not, oldest first.</summary>
    public async Task<IReadOnlyList<PointListing>> ListPointsAsync(CancellationToken ct)
    {
        var byPoint = new Dictionary<RestorePointId, List<TargetObject>>();
        await foreach (var o in Target.ListAsync(TargetPaths.PointsPrefix, ct))
        {
            if (TargetPaths.PointOf(o.Path) is not { } id) continue;
            if (!byPoint.TryGetValue(id, out var list)) byPoint[id] = list = [];
            list.Add(o);
        }
        return byPoint.OrderBy(p => p.Key).Select(p => new PointListing(p.Key, p.Value)).ToList();
    }

    /// <summary>Reads a point's manifest and checks its signature against <paramref name="trust"/>
    /// and that it names this point; throws <see cref="BackupVerificationException"/> otherwise.</summary>
    public async Task<BackupManifest> ReadManifestAsync(RestorePointId id, ManifestTrust trust, CancellationToken ct)
    {
        var manifestPath = TargetPaths.Manifest(id);
        var bytes = await ReadSmallAsync(manifestPath, ct) ?? throw new BackupVerificationException(manifestPath, "missing");
        var signature = await ReadSmallAsync(TargetPaths.Signature(id), ct)
            ?? throw new BackupVerificationException(TargetPaths.Signature(id), "missing: the point is incomplete (its creation was interrupted)");
        BackupManifest manifest;
        try
        {
            manifest = BackupJson.Deserialize<BackupManifest>(bytes, manifestPath);
        }
        catch (InvalidDataException ex)
        {
            throw new BackupVerificationException(manifestPath, ex.Message + " (the file was changed after signing)");
        }
        if (trust.Check(bytes, manifest.SignerPublicKey, System.Text.Encoding.ASCII.GetString(signature)) is { } problem)
        {
            throw new BackupVerificationException(manifestPath, problem);
        }
        // A signed manifest copied under another point's name must not pass for that point.
        if (manifest.Id != id.Value) throw new BackupVerificationException(manifestPath, $"is the manifest of point {manifest.Id}, not {id}");
        foreach (var f in manifest.Files)
        {
            if (!TargetPaths.IsValidDataPath(f.Path) || !f.Object.StartsWith(TargetPaths.Point(id), StringComparison.Ordinal))
            {
                throw new BackupVerificationException(manifestPath, $"lists an invalid file '{f.Path}'");
            }
        }
        return manifest;
    }

    /// <summary>The point's blob index, its hash checked against the manifest.</summary>
    public async Task<Dictionary<string, BlobEntry>> ReadBlobIndexAsync(BackupManifest manifest, CancellationToken ct)
    {
        Dictionary<string, BlobEntry>? entries = null;
        await ReadVerifiedAsync(manifest.BlobIndex.Object, manifest.BlobIndex.Size, manifest.BlobIndex.Sha256, decode: false,
            async (s, c) => entries = await BlobIndex.ReadAsync(s, c), ct);
        return entries!;
    }

    /// <summary>Stores <paramref name="source"/> as a new object (encoded with the target's codec
    /// when <paramref name="encode"/>); returns the stored size and SHA-256.</summary>
    public async Task<BlobEntry> WriteObjectAsync(string path, Stream source, bool encode, CancellationToken ct)
    {
        long size = 0;
        string sha = "";
        await Target.WriteNewAsync(path, async (destination, c) =>
        {
            using var hashing = new HashingStream(destination, leaveOpen: true);
            if (encode) await Codec.EncodeAsync(source, hashing, c);
            else await source.CopyToAsync(hashing, c);
            size = hashing.Count;
            sha = hashing.Sha256;
        }, ct);
        return new BlobEntry(path, size, sha);
    }

    /// <summary>Reads an object, hands its bytes (decoded when <paramref name="decode"/>) to
    /// <paramref name="consume"/>, and throws <see cref="BackupVerificationException"/> naming the
    /// object when it is missing, cannot be decoded, or its size or SHA-256 differ from the
    /// manifest's. The check completes only after <paramref name="consume"/> has run, so a
    /// consumer that writes somewhere must discard its output when this throws.</summary>
    public async Task ReadVerifiedAsync(string path, long size, string sha256, bool decode, Func<Stream, CancellationToken, Task> consume, CancellationToken ct)
    {
        var stored = await Target.OpenReadAsync(path, ct) ?? throw new BackupVerificationException(path, "missing");
        var hashing = new HashingStream(stored);
        try
        {
            try
            {
                await using (var content = decode ? Codec.Decode(new NonClosing(hashing)) : new NonClosing(hashing))
                {
                    await consume(content, ct);
                }
                await hashing.DrainAsync(ct);
            }
            catch (Exception ex) when (IsBadData(ex) && !ct.IsCancellationRequested)
            {
                // Undecodable, or refused by the transport's own checksum: if the stored bytes
                // differ from the manifest, say that; otherwise say what failed.
                try { await hashing.DrainAsync(ct); }
                catch (Exception again) when (IsBadData(again)) { throw new BackupVerificationException(path, "cannot be read: " + ex.Message); }
                if (hashing.Count != size || hashing.Sha256 != sha256) throw Mismatch(path, size, sha256, hashing);
                throw new BackupVerificationException(path, "cannot be decoded: " + ex.Message);
            }
            if (hashing.Count != size || hashing.Sha256 != sha256) throw Mismatch(path, size, sha256, hashing);
        }
        finally
        {
            await hashing.DisposeAsync();
        }
    }

    /// <summary>Size and SHA-256 of a stored object as it is now, or null when it is missing.</summary>
    public async Task<BlobEntry?> HashObjectAsync(string path, CancellationToken ct)
    {
        await using var stored = await Target.OpenReadAsync(path, ct);
        if (stored is null) return null;
        using var hashing = new HashingStream(stored, leaveOpen: true);
        await hashing.DrainAsync(ct);
        return new BlobEntry(path, hashing.Count, hashing.Sha256);
    }

    public async Task<byte[]?> ReadSmallAsync(string path, CancellationToken ct)
    {
        await using var s = await Target.OpenReadAsync(path, ct);
        if (s is null) return null;
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static bool IsBadData(Exception ex) => ex is InvalidDataException or InvalidOperationException or IOException && ex is not BackupVerificationException;

    private static BackupVerificationException Mismatch(string path, long size, string sha256, HashingStream actual) =>
        actual.Count != size
            ? new BackupVerificationException(path, $"size is {actual.Count} bytes, the manifest says {size}")
            : new BackupVerificationException(path, $"SHA-256 is {actual.Sha256}, the manifest says {sha256} (content changed)");

    /// <summary>Lets a decoder dispose its input without closing the hashing stream under it.</summary>
    private sealed class NonClosing(Stream inner) : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    }
}

/// <summary>A point as found in the target: complete once its signature exists.</summary>
public sealed class PointListing(RestorePointId id, IReadOnlyList<TargetObject> objects)
{
    public RestorePointId Id { get; } = id;
    public IReadOnlyList<TargetObject> Objects { get; } = objects;
    public bool IsComplete => Objects.Any(o => o.Path == TargetPaths.Signature(Id));

    /// <summary>The newest verification record's path, if any.</summary>
    public string? LatestVerification => Objects
        .Select(o => o.Path)
        .Where(p => p.StartsWith(TargetPaths.Point(Id) + "verified-", StringComparison.Ordinal))
        .OrderBy(p => p, StringComparer.Ordinal)
        .LastOrDefault();
}
