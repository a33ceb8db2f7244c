using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Host.Config;
using Vigil.Ops.Alerts;
using Vigil.Ops.Files;
using Vigil.Security.Tls;

namespace Vigil.Host.Hosting;

/// <summary>Reloads the TLS certificate without a restart when its files change (a watch on their
/// folders) or on SIGHUP (<c>systemctl reload vigil</c>). New handshakes get the new certificate;
/// sessions already in TLS keep theirs. A pair that cannot serve leaves the old certificate in
/// place, is logged (<c>tls.reload_failed</c>) and raises an alert. Every change is audited
/// (<c>tls.reload</c>) and described in <c>run/tls.json</c> for <c>vigil status</c>.</summary>
public sealed partial class TlsReloadService(
    TlsCertificateProvider tls,
    DataDirectory data,
    IAuditLog audit,
    AlertDispatcher alerts,
    ILogger<TlsReloadService> logger,
    TimeProvider time) : BackgroundService
{
    /// <summary>Renewal tools write the certificate and the key one after the other: wait until the
    /// files have been quiet this long before reading them, so the pair is read whole.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    public const string SourceSignal = "sighup";
    public const string SourceWatch = "file-watch";

    private readonly Channel<string> _triggers = Channel.CreateBounded<string>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly List<FileSystemWatcher> _watchers = [];
    private PosixSignalRegistration? _sighup;
    private string? _lastError;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        WriteStatus(tls.Current);
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx =>
            {
                ctx.Cancel = true; // SIGHUP's default is to terminate
                _triggers.Writer.TryWrite(SourceSignal);
            });
        }
        var files = new[] { tls.CertificateFile, tls.KeyFile }.Select(Path.GetFullPath).ToList();
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f)!))
        {
            var names = folder.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var watcher = new FileSystemWatcher(folder.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            void OnChange(object? _, FileSystemEventArgs e)
            {
                if (names.Contains(e.Name!) || (e is RenamedEventArgs r && names.Contains(r.OldName!))) _triggers.Writer.TryWrite(SourceWatch);
            }
            watcher.Changed += OnChange;
            watcher.Created += OnChange;
            watcher.Renamed += (s, e) => OnChange(s, e);
            watcher.Deleted += OnChange;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        LogWatching(logger, tls.CertificateFile, tls.KeyFile, tls.Current.Subject, tls.Current.NotAfter, tls.Current.Sha256);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _triggers.Reader.WaitToReadAsync(stoppingToken))
            {
                var sources = new HashSet<string>(StringComparer.Ordinal);
                // Collect every trigger until the files have been quiet for Settle.
                do
                {
                    while (_triggers.Reader.TryRead(out var s)) sources.Add(s);
                    await Task.Delay(Settle, time, stoppingToken);
                }
                while (_triggers.Reader.TryPeek(out _));
                try
                {
                    await ReloadAsync(sources.Contains(SourceSignal) ? SourceSignal : SourceWatch, stoppingToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // The audit log or run/ could not be written: the certificate itself is
                    // swapped (or kept) already; the next trigger tries again.
                    LogReloadError(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One reload, as a trigger asks for it.</summary>
    public async Task ReloadAsync(string source, CancellationToken ct)
    {
        var result = tls.Reload();
        if (result.Error is { } error)
        {
            var repeated = error == _lastError;
            _lastError = error;
            WriteStatus(result.Current);
            LogReloadFailed(logger, source, error, result.Current.Sha256);
            // The same broken files seen again (another write, another SIGHUP) are logged, not re-alerted.
            if (!repeated)
            {
                await alerts.RaiseAsync(new Alert(ReloadFailedKind, tls.CertificateFile,
                    $"{error}; still serving {result.Current.Subject} (sha256 {result.Current.Sha256}, expires {result.Current.NotAfter:yyyy-MM-dd})", "tls", time.GetUtcNow()), ct);
            }
            return;
        }
        _lastError = null;
        WriteStatus(result.Current);
        if (!result.Changed)
        {
            LogUnchanged(logger, source, result.Current.Sha256);
            return;
        }
        LogReloaded(logger, source, result.Current.Subject, result.Current.NotAfter, result.Current.Sha256, result.Previous.Sha256);
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "vigil", source, "tls.reload", result.Current.Subject, new Dictionary<string, string>
        {
            ["sha256"] = result.Current.Sha256,
            ["previousSha256"] = result.Previous.Sha256,
            ["notAfter"] = result.Current.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["file"] = tls.CertificateFile,
        }), ct);
    }

    public const string ReloadFailedKind = "tls.reload_failed";

    private void WriteStatus(ServedCertificate served) =>
        AtomicFile.WriteAllBytes(data.TlsStatusFile, JsonSerializer.SerializeToUtf8Bytes(
            new TlsStatus(served.Subject, served.Certificate.Issuer, served.NotAfter, served.Sha256, served.LoadedAt, tls.CertificateFile, _lastError), VigilConfig.Json));

    public override void Dispose()
    {
        _sighup?.Dispose();
        foreach (var w in _watchers) w.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 11060, EventName = "tls.watching", Level = LogLevel.Information,
        Message = "Serving TLS certificate {Subject} (expires {NotAfter:yyyy-MM-dd}, sha256 {Sha256}); reloading on SIGHUP or when {CertificateFile} or {KeyFile} change")]
    private static partial void LogWatching(ILogger logger, string certificateFile, string keyFile, string subject, DateTimeOffset notAfter, string sha256);

    [LoggerMessage(EventId = 11061, EventName = "tls.reloaded", Level = LogLevel.Information,
        Message = "TLS certificate reloaded ({Source}): now {Subject} (expires {NotAfter:yyyy-MM-dd}, sha256 {Sha256}), was sha256 {PreviousSha256}; sessions already in TLS keep the old one")]
    private static partial void LogReloaded(ILogger logger, string source, string subject, DateTimeOffset notAfter, string sha256, string previousSha256);

    [LoggerMessage(EventId = 11062, EventName = "tls.reload_failed", Level = LogLevel.Error,
        Message = "TLS certificate reload ({Source}) refused: {Error}; still serving sha256 {Sha256}")]
    private static partial void LogReloadFailed(ILogger logger, string source, string error, string sha256);

    [LoggerMessage(EventId = 11064, EventName = "tls.reload_error", Level = LogLevel.Error, Message = "Could not record a TLS certificate reload")]
    private static partial void LogReloadError(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 11063, EventName = "tls.reload_unchanged", Level = LogLevel.Information,
        Message = "TLS certificate reload ({Source}): the files hold the certificate already serving (sha256 {Sha256})")]
    private static partial void LogUnchanged(ILogger logger, string source, string sha256);
}

/// <summary><c>run/tls.json</c>: the certificate the running server hands out, and why the last
/// reload was refused if it was.</summary>
public sealed record TlsStatus(string Subject, string Issuer, DateTimeOffset NotAfter, string Sha256, DateTimeOffset LoadedAt, string CertificateFile, string? LastError);
