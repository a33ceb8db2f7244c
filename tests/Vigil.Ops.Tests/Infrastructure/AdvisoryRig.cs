using Vigil.Ops.Advisories;
using Vigil.Ops.Build;

namespace Vigil.Ops.Tests.Infrastructure;

/// <summary>An <see cref="AdvisoryService"/> on a temp data directory with a manual clock, a
/// recording audit log and captured logs; the feed source is a file in the directory.</summary>
public sealed class AdvisoryRig : IDisposable
{
    public const int Build = 40;

    public TempDir Dir { get; } = new();
    public FeedMaker Maker { get; } = new();
    public ManualTime Time { get; } = new(FeedMaker.Published.AddHours(1));
    public RecordingAuditLog Audit { get; } = new();
    public LogCapture Logs { get; } = new();
    public AdvisoryService Service { get; }
    public AdvisoryPaths Paths { get; }
    public string FeedFile => Dir.File("feed.signed.json");

    public AdvisoryRig(int build = Build, AdvisoryOptions? options = null, HttpClient? http = null)
    {
        Paths = new AdvisoryPaths(Dir.File("advisories"));
        var store = new AdvisoryStore(Paths);
        Service = new AdvisoryService(store, new TrustedKeyStore(Paths), new FeedFetcher(http ?? new HttpClient(), Dir.Path),
            options ?? new AdvisoryOptions { Source = "feed.signed.json" }, new BuildIdentity("0.1.0", build, "abc", "2026-01-01T00:00:00Z"),
            Audit, Time, Logs.For<AdvisoryService>());
    }

    public async Task TrustMakerAsync() => await Service.TrustAsync(Maker.PublicKeyFileText, "test", new Actor("admin", "test"), CancellationToken.None);

    public Task<RefreshResult> PublishAndRefreshAsync(byte[] signed)
    {
        File.WriteAllBytes(FeedFile, signed);
        return Service.RefreshAsync(null, Actor.System("test"), CancellationToken.None);
    }

    public void Dispose()
    {
        Maker.Dispose();
        Dir.Dispose();
    }
}
