using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Console;

/// <summary>The console's side of enrollment: a valid one-time token plus a request signed by the
/// key it introduces (proof of possession) pins that key as a member and answers with the
/// console's own key and certificate fingerprint, signed and bound to the request's nonce.</summary>
public sealed partial class ConsoleEnrollment(
    FleetIdentity identity,
    FleetOptions options,
    MemberRegistry members,
    EnrollmentTokens tokens,
    Func<string> tlsCertificateSha256,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ConsoleEnrollment> logger)
{
    /// <summary>For the HTTP layer's authentication: is this a live token for this console?</summary>
    public bool IsTokenValid(string? tokenText) =>
        EnrollmentToken.TryParse(tokenText, out var token) && tokens.IsValid(token, identity.Id);

    public async Task<FleetResponse> EnrollAsync(string? tokenText, byte[] body, string remote, CancellationToken ct)
    {
        if (!EnrollmentToken.TryParse(tokenText, out var token)) return await RefuseAsync(401, "malformed enrollment token", remote, null, ct);
        if (!SignedEnvelope.TryParse(body, out var envelope, out var error)) return await RefuseAsync(400, error, remote, null, ct);
        var request = envelope.Format == MessageFormats.EnrollRequest && !JsonText.HasControlCharacters(envelope.Payload)
            ? FleetJson.Deserialize<EnrollRequest>(envelope.Payload) : null;
        if (request is null) return await RefuseAsync(400, "not an enrollment request", remote, null, ct);

        byte[] publicKey;
        try
        {
            publicKey = Convert.FromBase64String(request.PublicKey);
        }
        catch (FormatException)
        {
            publicKey = [];
        }
        if (!Ed25519.IsValidPublicKey(publicKey) || request.MemberId != KeyId.Of(publicKey))
            return await RefuseAsync(400, "member id does not match the public key", remote, request, ct);
        if (!envelope.IsSignedBy(MessageFormats.EnrollRequest, publicKey))
            return await RefuseAsync(401, "request is not signed by the key it introduces", remote, request, ct);
        if ((time.GetUtcNow() - request.SentAt).Duration() > options.Freshness)
            return await RefuseAsync(401, "request is not fresh (check both clocks)", remote, request, ct);
        if (request.Hostname.Length is 0 or > 253 || request.MemberId == identity.Id)
            return await RefuseAsync(400, "invalid host name or member id", remote, request, ct);
        if (!tokens.TryConsume(token, identity.Id))
            return await RefuseAsync(401, "enrollment token unknown, expired or already used", remote, request, ct);

        var known = members.Get(request.MemberId) is not null;
        var record = new MemberRecord(request.MemberId, request.PublicKey, request.InstanceId, request.Hostname, time.GetUtcNow(), remote);
        members.Save(record);
        LogEnrolled(logger, request.MemberId, request.Hostname, remote, request.Build.BuildNumber);
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), request.MemberId, "fleet", known ? "fleet.member.reenrolled" : "fleet.member.enrolled", request.MemberId,
            new Dictionary<string, string>
            {
                ["hostname"] = request.Hostname,
                ["instanceId"] = request.InstanceId,
                ["remote"] = remote,
                ["build"] = request.Build.BuildNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["token"] = token.Hash[..16],
            }), ct);
        var reply = new EnrollReply(identity.Id, Convert.ToBase64String(identity.PublicKey), identity.Hostname, request.MemberId, request.Nonce, tlsCertificateSha256());
        return FleetResponse.Signed(identity.Sign(MessageFormats.EnrollReply, reply));
    }

    private async Task<FleetResponse> RefuseAsync(int status, string reason, string remote, EnrollRequest? request, CancellationToken ct)
    {
        LogRefused(logger, remote, reason);
        var details = new Dictionary<string, string> { ["reason"] = reason, ["remote"] = remote };
        if (request is not null) details["hostname"] = request.Hostname;
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "anonymous", "fleet", "fleet.enroll.refused", request?.MemberId ?? "unknown", details), ct);
        return FleetResponse.Refused(status, reason);
    }

    [LoggerMessage(EventId = 9101, EventName = "fleet.member_enrolled", Level = LogLevel.Warning, Message = "Fleet member {MemberId} ({Hostname}) enrolled from {Remote}, build {Build}")]
    private static partial void LogEnrolled(ILogger logger, string memberId, string hostname, string remote, int build);

    [LoggerMessage(EventId = 9102, EventName = "fleet.enroll_refused", Level = LogLevel.Warning, Message = "Fleet enrollment from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string remote, string reason);
}
