namespace Vigil.Ops.Advisories;

/// <summary>What this instance remembers about the feed (<c>DATA/advisories/state.json</c>): the
/// serial and content hash of the last accepted feed (the rollback guard), when the feed was last
/// refreshed, and the last refusal or failure.</summary>
public sealed record AdvisoryState(
    long? Serial = null,
    string? PayloadSha256 = null,
    string? KeyId = null,
    DateTimeOffset? LastRefresh = null,
    DateTimeOffset? LastAttempt = null,
    string? LastError = null,
    DateTimeOffset? LastErrorAt = null);
