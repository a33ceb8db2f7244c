using Vigil.Ops.Build;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;
using Vigil.Security.Keys;

namespace Vigil.Ops.Tests.Infrastructure;

/// <summary>A console and a member in one process, without HTTP: the console's request handlers
/// and the member's action gate, each on its own temp data directory, sharing a manual clock.</summary>
public sealed class FleetRig : IDisposable
{
    public TempDir ConsoleDir { get; } = new();
    public TempDir MemberDir { get; } = new();
    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    public RecordingAuditLog ConsoleAudit { get; } = new();
    public RecordingAuditLog MemberAudit { get; } = new();
    public LogCapture ConsoleLogs { get; } = new();
    public RecordingAlertSink ConsoleAlerts { get; } = new();
    public LogCapture MemberLogs { get; } = new();
    public FleetOptions Options { get; } = new() { Console = true, HeartbeatInterval = TimeSpan.FromSeconds(1) };

    public FleetIdentity Console { get; }
    public FleetIdentity Member { get; }
    public MemberRegistry Registry { get; }
    public EnrollmentTokens Tokens { get; }
    public ConsoleEnrollment Enrollment { get; }
    public ConsoleHeartbeats Heartbeats { get; }
    public ActionOutbox Outbox { get; }
    public RecordingHandler CheckNow { get; } = new(FleetAction.CheckNow);
    public ActionReceiver Receiver { get; }
    public MembershipStore Memberships { get; }
    public ActionResults MemberResults { get; }
    public const string CertificateSha256 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    public FleetRig()
    {
        Console = Identity(ConsoleDir, "console.test");
        Member = Identity(MemberDir, "member.test");
        var consolePaths = new FleetPaths(ConsoleDir.File("fleet"));
        Registry = new MemberRegistry(consolePaths);
        Tokens = new EnrollmentTokens(consolePaths, Time);
        Enrollment = new ConsoleEnrollment(Console, Options, Registry, Tokens, () => CertificateSha256, ConsoleAudit, Time, ConsoleLogs.For<ConsoleEnrollment>());
        Outbox = new ActionOutbox(consolePaths, Console, Options, Registry, ConsoleAudit, Time, ConsoleLogs.For<ActionOutbox>());
        Heartbeats = new ConsoleHeartbeats(Console, Options, Registry, Outbox, ConsoleAudit,
            new Alerts.AlertDispatcher([ConsoleAlerts], ConsoleLogs.For<Alerts.AlertDispatcher>()), Time, ConsoleLogs.For<ConsoleHeartbeats>());

        var memberPaths = new FleetPaths(MemberDir.File("fleet"));
        Memberships = new MembershipStore(memberPaths);
        MemberResults = new ActionResults(memberPaths);
        Receiver = new ActionReceiver(Member, Options, new SeenActions(memberPaths, Time), MemberResults, [CheckNow], MemberAudit, Time, MemberLogs.For<ActionReceiver>());
    }

    public static BuildFacts Build(int number = 40) => new("0.1.0", number, "abc", "2026-01-01T00:00:00Z");

    /// <summary>Enrolls the member directly through the console's handler and pins the console on the member.</summary>
    public async Task<Membership> EnrollAsync()
    {
        var (token, _) = Tokens.Create(Console.Id, TimeSpan.FromHours(24));
        var response = await Enrollment.EnrollAsync(token.ToString(), EnrollRequest(Member), "127.0.0.1", CancellationToken.None);
        if (response.StatusCode != 200) throw new InvalidOperationException(System.Text.Encoding.UTF8.GetString(response.Body));
        var membership = new Membership("https://console.test", Console.Id, Convert.ToBase64String(Console.PublicKey), "console.test", CertificateSha256, Member.Id, Time.GetUtcNow());
        return membership;
    }

    public byte[] EnrollRequest(FleetIdentity who, DateTimeOffset? sentAt = null) =>
        who.Sign(Signing.MessageFormats.EnrollRequest, new EnrollRequest(who.Id, Convert.ToBase64String(who.PublicKey), who.InstanceId, who.Hostname, Build(), sentAt ?? Time.GetUtcNow(), "n1")).ToJson();

    public Heartbeat Heartbeat(DateTimeOffset? sentAt = null, int build = 40, IReadOnlyList<ListenerFacts>? listeners = null, AdvisoryFacts? advisories = null, AuditFacts? audit = null) => new(
        Member.Id, Member.InstanceId, Member.Hostname, sentAt ?? Time.GetUtcNow(), Guid.NewGuid().ToString("N"), 1, Build(build),
        advisories ?? new AdvisoryFacts("CURRENT", "fresh", 1, Time.GetUtcNow(), null, [], null),
        Time.GetUtcNow(), listeners ?? [], [], null, null, null, new CountFacts(1, 2, 3), [], audit);

    public FleetIdentity Identity(TempDir dir, string hostname)
    {
        var keyFile = dir.File(hostname + ".key");
        InstanceKey.Create(keyFile);
        return new FleetIdentity(InstanceKey.Load(keyFile), Guid.NewGuid().ToString("N"), hostname, Time.GetUtcNow());
    }

    public void Dispose()
    {
        ConsoleDir.Dispose();
        MemberDir.Dispose();
    }

    /// <summary>Counts how often the member really carried out an action.</summary>
    public sealed class RecordingHandler(FleetAction action) : IFleetActionHandler
    {
        public int Runs;

        public FleetAction Action => action;

        public Task<string> ExecuteAsync(FleetActionContext context, CancellationToken ct)
        {
            Interlocked.Increment(ref Runs);
            return Task.FromResult("ran");
        }
    }
}
