using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vigil.Core.Audit;
using Vigil.Ops.Build;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;

namespace Vigil.Ops.Fleet.Member;

/// <summary><c>vigil fleet enroll URL TOKEN</c>: introduces this instance's key to the console
/// (signed, with the one-time token) and pins the console's key, which must be the one the token
/// names, and its certificate, which must be the one the console signed.</summary>
public sealed partial class MemberEnrollment(
    FleetIdentity identity,
    BuildIdentity build,
    MembershipStore membership,
    IAuditLog audit,
    TimeProvider time,
    ILogger<MemberEnrollment> logger)
{
    public const string EnrollPath = "/fleet/v1/enroll";
    public const string AuthorizationScheme = "VigilEnroll";

    public async Task<Membership> EnrollAsync(string consoleUrl, string tokenText, Actor by, CancellationToken ct)
    {
        if (!Uri.TryCreate(consoleUrl.TrimEnd('/'), UriKind.Absolute, out var baseUri) || baseUri.Scheme != Uri.UriSchemeHttps || baseUri.Query.Length > 0)
            throw new FormatException("the console URL must be https://HOST[:PORT]");
        if (!EnrollmentToken.TryParse(tokenText, out var token)) throw new FormatException("that is not an enrollment token (vgl1.…)");

        var request = new EnrollRequest(identity.Id, Convert.ToBase64String(identity.PublicKey), identity.InstanceId, identity.Hostname,
            new BuildFacts(build.Version, build.BuildNumber, build.Commit, build.BuildDate), time.GetUtcNow(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        using var http = new FleetHttp(null, TimeSpan.FromSeconds(30));
        var (status, body) = await http.PostAsync(new Uri(baseUri, EnrollPath), identity.Sign(MessageFormats.EnrollRequest, request).ToJson(), $"{AuthorizationScheme} {token}", ct);
        if (status != 200) throw new InvalidOperationException($"the console refused enrollment ({status}): {Printable(body)}");

        if (!SignedEnvelope.TryParse(body, out var envelope, out var error)) throw new InvalidOperationException($"the console's reply is not signed: {error}");
        var reply = FleetJson.Deserialize<EnrollReply>(envelope.Payload)
            ?? throw new InvalidOperationException("the console's reply is not an enrollment reply");
        byte[] consoleKey;
        try
        {
            consoleKey = Convert.FromBase64String(reply.ConsolePublicKey);
        }
        catch (FormatException)
        {
            consoleKey = [];
        }
        // The token names the console's key: a console that answers with another key is not the
        // one the admin invited us to (a man in the middle, or the wrong URL).
        if (!Ed25519.IsValidPublicKey(consoleKey) || KeyId.Of(consoleKey) != token.ConsoleId || reply.ConsoleId != token.ConsoleId)
            throw new InvalidOperationException($"the console's key is not the one named by the token ({token.ConsoleId}); not enrolling");
        if (!envelope.IsSignedBy(MessageFormats.EnrollReply, consoleKey) || reply.RequestNonce != request.Nonce || reply.MemberId != identity.Id)
            throw new InvalidOperationException("the console's reply is not signed by its key for this request; not enrolling");
        if (!string.Equals(http.ObservedCertificateSha256, reply.TlsCertificateSha256, StringComparison.Ordinal))
            throw new InvalidOperationException("the TLS certificate presented is not the console's (interception?); not enrolling");
        if (JsonText.HasControlCharacters(envelope.Payload)) throw new InvalidOperationException("the console's reply carries control characters");

        var pinned = new Membership(baseUri.ToString().TrimEnd('/'), reply.ConsoleId, reply.ConsolePublicKey, reply.ConsoleHostname, reply.TlsCertificateSha256, identity.Id, time.GetUtcNow());
        membership.Save(pinned);
        LogEnrolled(logger, pinned.ConsoleUrl, pinned.ConsoleId);
        await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), by.Name, by.Source, "fleet.enrolled", pinned.ConsoleId,
            new Dictionary<string, string> { ["consoleUrl"] = pinned.ConsoleUrl, ["consoleHostname"] = pinned.ConsoleHostname, ["tlsSha256"] = pinned.TlsCertificateSha256 }), ct);
        return pinned;
    }

    private static string Printable(byte[] body) =>
        new(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).Select(c => char.IsControl(c) ? ' ' : c).ToArray());

    [LoggerMessage(EventId = 9120, EventName = "fleet.enrolled", Level = LogLevel.Warning, Message = "Enrolled in the fleet of console {ConsoleId} at {ConsoleUrl}")]
    private static partial void LogEnrolled(ILogger logger, string consoleUrl, string consoleId);
}
