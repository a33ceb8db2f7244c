namespace Vigil.Ops.Fleet.Messages;

// The payloads of the signed fleet messages. Each travels inside a SignedEnvelope whose format
// string names its kind; these records are only ever read after the signature has been checked.

/// <summary>Member → console: "enroll me with this key" (signed by the member's own key).</summary>
public sealed record EnrollRequest(
    string MemberId,
    string PublicKey,
    string InstanceId,
    string Hostname,
    BuildFacts Build,
    DateTimeOffset SentAt,
    string Nonce);

/// <summary>Console → member: the console's key and certificate, bound to the request's nonce
/// (signed by the console's key, whose id the member already knows from the token).</summary>
public sealed record EnrollReply(
    string ConsoleId,
    string ConsolePublicKey,
    string ConsoleHostname,
    string MemberId,
    string RequestNonce,
    string TlsCertificateSha256);

/// <summary>Member → console, every interval: what the member is and how it is doing.</summary>
public sealed record Heartbeat(
    string MemberId,
    string InstanceId,
    string Hostname,
    DateTimeOffset SentAt,
    string Nonce,
    int IntervalSeconds,
    BuildFacts Build,
    AdvisoryFacts Advisories,
    DateTimeOffset StartedAt,
    IReadOnlyList<ListenerFacts> Listeners,
    IReadOnlyList<string> Addresses,
    LockdownFacts? Lockdown,
    ProblemFacts? Integrity,
    ProblemFacts? Backup,
    CountFacts? Counts,
    IReadOnlyList<ActionResult> ActionResults,
    AuditFacts? Audit = null,
    IReadOnlyList<AlertFacts>? Alerts = null);

/// <summary>Console → member, in answer to one heartbeat (its nonce), with any queued actions,
/// each a separately signed action envelope (base64 of its JSON).</summary>
public sealed record HeartbeatReply(string MemberId, string InReplyTo, DateTimeOffset ServerTime, IReadOnlyList<string> Actions);

/// <summary>Console → member: one enumerated action. <see cref="Id"/> is also the nonce.</summary>
public sealed record ActionMessage(string Id, string MemberId, string Action, DateTimeOffset IssuedAt);

public sealed record BuildFacts(string Version, int BuildNumber, string Commit, string BuildDate);

/// <summary>The member's own advisory assessment.</summary>
public sealed record AdvisoryFacts(
    string State,
    string Feed,
    long? FeedSerial,
    DateTimeOffset? LastRefresh,
    string? Worst,
    IReadOnlyList<string> Affecting,
    string? LastError);

public sealed record ListenerFacts(string Name, string Protocol, string Address, int Port, bool Tls, bool BeyondLoopback, bool DeclaredPublic);

public sealed record LockdownFacts(bool Active, string? Reason);

/// <summary>A safety feature's verdict (integrity watch, backups): a problem or not, and why.</summary>
public sealed record ProblemFacts(bool Problem, string Detail);

public sealed record CountFacts(long Domains, long Accounts, long Messages);

/// <summary>What became of an action on the member, reported in its next heartbeats.</summary>
public sealed record ActionResult(string ActionId, string Action, string Outcome, string Detail, DateTimeOffset At);

/// <summary>The member's audit log as the console follows it (docs/audit.md): how many entries it
/// holds and its signed checkpoints, oldest first, from the newest one the console has already
/// acknowledged. The console checks that they continue from those it saw before.</summary>
public sealed record AuditFacts(long Entries, IReadOnlyList<CheckpointFacts> Checkpoints);

/// <summary>One audit checkpoint: entry <see cref="Seq"/> hashed to <see cref="Entry"/>;
/// <see cref="Hash"/> is the checkpoint's own hash and <see cref="Prev"/> the previous checkpoint's.</summary>
public sealed record CheckpointFacts(long Seq, string Entry, string Hash, string Prev, DateTimeOffset Time);

/// <summary>An alert the member raised (its newest few ride along in every heartbeat); the console
/// raises each once more on its own sinks as <c>fleet.member_alert</c>.</summary>
public sealed record AlertFacts(string Kind, string Subject, string Detail, string Source, DateTimeOffset Time);
