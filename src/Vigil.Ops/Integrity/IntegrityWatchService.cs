using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Core.Storage;
using Vigil.Ops.Alerts;
using Vigil.Ops.Files;
using Vigil.Ops.Fleet.Facts;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Integrity;

/// <summary>The integrity watch in the running server: a full scan at start and every scan
/// interval, and in between file-system notifications (inotify) for the program and data
/// directories (<see cref="DataDirectoryWatch"/>), each checked as it arrives. A finding is alerted once, when it first appears; a
/// full scan that no longer sees it forgets it. Many findings of one kind at once (a hundred
/// rewritten blobs) make one alert, not a hundred.</summary>
public sealed partial class IntegrityWatchService(
    IntegrityOptions options,
    IntegrityScanner scanner,
    AlertDispatcher alerts,
    IAuditLog audit,
    TimeProvider time,
    ILogger<IntegrityWatchService> logger,
    RecentBlobDeletions swept) : BackgroundService, IIntegrityFacts
{
    public const string Source = "integrity-watch";
    private const int GroupAbove = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ConfigSettle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConfigPoll = TimeSpan.FromSeconds(1);

    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, IntegrityFinding> _active = new(StringComparer.Ordinal);
    private readonly BlobBurstDetector _burst = new(options.BurstCount, options.BurstWindow);
    private volatile ProblemFacts _facts = new(false, "not scanned yet");
    private ProgramManifest? _manifest;
    private string _programState = "";
    private DateTimeOffset? _lastFullScan;
    private DataDirectoryWatch? _data;

    private enum Root { Data, Program, Overflow }

    private sealed record WatchEvent(Root Root, string FullPath, WatcherChangeTypes Change, string? OldFullPath);

    public ProblemFacts Current() => _facts;

    /// <summary>Completes when the first full scan has been reported (tests, start-up ordering).</summary>
    public Task FirstScan => _firstScan.Task;

    private readonly TaskCompletionSource _firstScan = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var data = new DataDirectoryWatch(options.DataDirectory, [options.ConfigFile, options.SealFile],
            (folder, recursive, filter) => Watch(folder, Root.Data, recursive, filter));
        _data = data;
        using var program = Directory.Exists(options.ProgramDirectory) ? Watch(options.ProgramDirectory, Root.Program, true, DataDirectoryWatch.Content) : null;
        LogWatching(logger, options.DataDirectory, options.ProgramDirectory, options.ScanInterval.TotalSeconds);
        await FullScanAsync(stoppingToken);
        _firstScan.TrySetResult();
        var nextScan = time.GetUtcNow() + options.ScanInterval;
        var nextPoll = time.GetUtcNow() + ConfigPoll;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = (nextScan < nextPoll ? nextScan : nextPoll) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(wait);
                try
                {
                    await _events.Reader.WaitToReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the scan or the poll is due
                }
            }
            if (time.GetUtcNow() >= nextScan)
            {
                await FullScanAsync(stoppingToken);
                nextScan = time.GetUtcNow() + options.ScanInterval;
                continue;
            }
            if (time.GetUtcNow() >= nextPoll)
            {
                nextPoll = time.GetUtcNow() + ConfigPoll;
                foreach (var path in data.PollChanged()) _events.Writer.TryWrite(new WatchEvent(Root.Data, path, WatcherChangeTypes.Changed, null));
            }
            if (!_events.Reader.TryPeek(out _)) continue;
            await Task.Delay(Settle, stoppingToken); // let a burst of notifications arrive together
            var batch = new List<WatchEvent>();
            while (_events.Reader.TryRead(out var e)) batch.Add(e);
            if (batch.Any(e => e.Root == Root.Overflow))
            {
                await FullScanAsync(stoppingToken);
                continue;
            }
            await ReportAsync(await CheckEventsAsync(batch, stoppingToken), full: false, stoppingToken);
        }
    }

    private async Task FullScanAsync(CancellationToken ct)
    {
        _manifest = ProgramManifest.Load(options.ProgramDirectory);
        if (scanner.Pin.PinIfFirst(_manifest))
        {
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "vigil", Source, "integrity.manifest_pinned", ProgramManifest.FileName,
                new Dictionary<string, string> { ["key"] = _manifest!.PublicKey, ["build"] = _manifest.Build }), ct);
        }
        _data?.Resync();
        var result = scanner.Scan(options.VerifyBlobsOnScan, ct);
        _programState = result.ProgramState;
        _lastFullScan = time.GetUtcNow();
        LogScanned(logger, result.DataEntries, result.ProgramFiles, result.BlobsVerified, result.Findings.Count);
        await ReportAsync(result.Findings, full: true, ct);
    }

    private async Task<List<IntegrityFinding>> CheckEventsAsync(List<WatchEvent> batch, CancellationToken ct)
    {
        var findings = new List<IntegrityFinding>();
        var config = false;
        var now = time.GetUtcNow();
        foreach (var e in batch.DistinctBy(e => (e.Root, e.FullPath, e.Change, e.OldFullPath)))
        {
            if (e.Root == Root.Program)
            {
                findings.AddRange(CheckProgramPath(e.FullPath));
                continue;
            }
            _data?.Follow(e.FullPath, e.OldFullPath);
            if (e.OldFullPath is { } old && DataLayout.IsBlob(scanner.DataPath(old), out _)) Burst(findings, now); // a blob renamed away is a blob gone (the sweeper never renames)
            var relative = scanner.DataPath(e.FullPath);
            if (relative.StartsWith("..", StringComparison.Ordinal)) continue;
            FileSystemInfo entry = Directory.Exists(e.FullPath) ? new DirectoryInfo(e.FullPath) : new FileInfo(e.FullPath);
            if (!entry.Exists)
            {
                // The store's own sweeper deletes bodies of deleted mail after their grace period;
                // any other deletion of a blob counts toward a burst.
                if (DataLayout.IsBlob(relative, out var gone) && !swept.Contains(gone)) Burst(findings, now);
                continue;
            }
            if (IntegrityScanner.CheckEntry(entry, relative) is { } unexpected)
            {
                findings.Add(unexpected);
                continue;
            }
            if (entry is DirectoryInfo && e.Change is WatcherChangeTypes.Created or WatcherChangeTypes.Renamed)
            {
                findings.AddRange(scanner.ScanData(verifyBlobs: true, below: entry.FullName, ct).Findings); // a folder moved in arrives with its files
            }
            else if (DataLayout.IsBlob(relative, out var hex))
            {
                if (e.Change == WatcherChangeTypes.Changed) Burst(findings, now);
                var committedByVigil = e.Change == WatcherChangeTypes.Renamed && e.OldFullPath is { } from && scanner.DataPath(from).StartsWith("blobs/tmp/", StringComparison.Ordinal);
                if (!committedByVigil && BlobCheck.Verify(entry.FullName, relative, hex) is { } mismatch) findings.Add(mismatch);
            }
            else if (DataLayout.IsConfig(relative) || relative == ConfigSeal.FileName)
            {
                config = true;
            }
        }
        if (config)
        {
            await Task.Delay(ConfigSettle, ct); // Vigil writes the config, then its seal
            if (scanner.CheckConfig() is { } changed) findings.Add(changed);
        }
        return findings;
    }

    private void Burst(List<IntegrityFinding> findings, DateTimeOffset now)
    {
        if (_burst.Record(now) is { } count)
        {
            findings.Add(new IntegrityFinding(AlertKinds.BlobBurst, "blobs/", $"{count} blobs rewritten or deleted within {options.BurstWindow.TotalSeconds:0} s: mass encryption or destruction in progress"));
        }
    }

    private IEnumerable<IntegrityFinding> CheckProgramPath(string fullPath)
    {
        var relative = ProgramManifest.Relative(options.ProgramDirectory, fullPath);
        if (relative == ProgramManifest.FileName || _manifest is null)
        {
            _manifest = ProgramManifest.Load(options.ProgramDirectory);
            return ProgramCheck.Run(options.ProgramDirectory, _manifest, scanner.Pin.Load());
        }
        if (Directory.Exists(fullPath)) return [];
        var expected = _manifest.Files.FirstOrDefault(f => f.Path == relative);
        if (File.Exists(fullPath)) return ProgramCheck.CheckFile(options.ProgramDirectory, relative, expected) is { } f ? [f] : [];
        return expected is null ? [] : [new IntegrityFinding(AlertKinds.ProgramRemoved, relative, "a program file listed in the manifest is gone")];
    }

    private async Task ReportAsync(IReadOnlyList<IntegrityFinding> findings, bool full, CancellationToken ct)
    {
        var fresh = findings.DistinctBy(f => f.Key).Where(f => !_active.ContainsKey(f.Key)).ToList();
        foreach (var f in fresh) _active[f.Key] = f;
        if (full)
        {
            var now = findings.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _active.Keys.Where(k => !now.Contains(k)).ToList()) _active.Remove(gone);
        }
        foreach (var group in fresh.GroupBy(f => f.Kind))
        {
            var list = group.ToList();
            if (list.Count > GroupAbove)
            {
                var examples = string.Join(", ", list.Take(5).Select(f => f.Subject));
                await alerts.RaiseAsync(new Alert(group.Key, $"{list.Count} paths", $"{list[0].Detail}; e.g. {examples}", Source, time.GetUtcNow()), ct);
            }
            else
            {
                foreach (var f in list) await alerts.RaiseAsync(new Alert(f.Kind, f.Subject, f.Detail, Source, time.GetUtcNow()), ct);
            }
        }
        _facts = _active.Count == 0
            ? new ProblemFacts(false, "clean")
            : new ProblemFacts(true, $"{_active.Count} finding(s), e.g. {_active.Values.First()}");
        // Only on news: the status file is in the watched tree, and writing it on every batch
        // would wake the watch again.
        if (full || fresh.Count > 0) WriteStatus();
    }

    private void WriteStatus()
    {
        var status = new IntegrityStatus(time.GetUtcNow(), _lastFullScan, _programState, _active.Count, _active.Values.Take(50).ToList());
        try
        {
            AtomicFile.WriteAllBytes(options.StatusFile, JsonSerializer.SerializeToUtf8Bytes(status, IntegrityStatus.Json));
        }
        catch (IOException ex)
        {
            LogStatusFailed(logger, ex.Message);
        }
    }

    private FileSystemWatcher Watch(string directory, Root root, bool recursive, NotifyFilters filter)
    {
        var watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = filter,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => _events.Writer.TryWrite(new WatchEvent(root, e.FullPath, e.ChangeType, null));
        watcher.Changed += (_, e) => _events.Writer.TryWrite(new WatchEvent(root, e.FullPath, e.ChangeType, null));
        watcher.Deleted += (_, e) => _events.Writer.TryWrite(new WatchEvent(root, e.FullPath, e.ChangeType, null));
        watcher.Renamed += (_, e) => _events.Writer.TryWrite(new WatchEvent(root, e.FullPath, e.ChangeType, e.OldFullPath));
        watcher.Error += (_, e) =>
        {
            // Lost notifications (buffer overflow, watch limit): only a full scan can tell what happened.
            LogWatchError(logger, directory, e.GetException().Message);
            _events.Writer.TryWrite(new WatchEvent(Root.Overflow, directory, 0, null));
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    [LoggerMessage(EventId = 10401, EventName = "integrity.watching", Level = LogLevel.Information, Message = "Integrity watch on data {Data} and program {Program}, full scan every {Seconds} s")]
    private static partial void LogWatching(ILogger logger, string data, string program, double seconds);

    [LoggerMessage(EventId = 10402, EventName = "integrity.scanned", Level = LogLevel.Information, Message = "Integrity scan: {Entries} data entries, {ProgramFiles} program files, {Blobs} blobs re-hashed, {Findings} finding(s)")]
    private static partial void LogScanned(ILogger logger, int entries, int programFiles, int blobs, int findings);

    [LoggerMessage(EventId = 10403, EventName = "integrity.watch_error", Level = LogLevel.Warning, Message = "File notifications for {Directory} were lost ({Error}); running a full scan")]
    private static partial void LogWatchError(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 10404, EventName = "integrity.status_failed", Level = LogLevel.Warning, Message = "Could not write the integrity status file: {Error}")]
    private static partial void LogStatusFailed(ILogger logger, string error);
}

/// <summary>The watch's last result in <c>run/integrity.json</c>, for <c>vigil status</c>.</summary>
public sealed record IntegrityStatus(DateTimeOffset Time, DateTimeOffset? LastFullScan, string Program, int Findings, IReadOnlyList<IntegrityFinding> Active)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
