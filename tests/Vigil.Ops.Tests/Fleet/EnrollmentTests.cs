using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Fleet;

public class EnrollmentTests
{
    [Fact]
    public void Tokens_round_trip_and_malformed_ones_do_not_parse()
    {
        var token = EnrollmentToken.Create(new string('a', 32));
        Assert.True(EnrollmentToken.TryParse(token.ToString(), out var parsed));
        Assert.Equal(token, parsed);
        foreach (var bad in new[] { "", "vgl1", "vgl2." + token.Secret + "." + token.ConsoleId, $"vgl1.{token.Secret}.XYZ", $"vgl1.../..{token.Secret[5..]}.{token.ConsoleId}", $"vgl1.{token.Secret}.{token.ConsoleId}.x" })
            Assert.False(EnrollmentToken.TryParse(bad, out _), bad);
    }

    [Fact]
    public async Task Enrollment_pins_the_member_key_and_the_token_works_once()
    {
        using var rig = new FleetRig();
        var (token, _) = rig.Tokens.Create(rig.Console.Id, TimeSpan.FromHours(24));
        Assert.True(rig.Enrollment.IsTokenValid(token.ToString()));

        var ok = await rig.Enrollment.EnrollAsync(token.ToString(), rig.EnrollRequest(rig.Member), "10.0.0.2", CancellationToken.None);
        Assert.Equal(200, ok.StatusCode);
        var member = rig.Registry.Get(rig.Member.Id)!;
        Assert.Equal(Convert.ToBase64String(rig.Member.PublicKey), member.PublicKey);
        Assert.Equal("10.0.0.2", member.EnrolledFrom);
        Assert.Single(rig.ConsoleAudit.Of("fleet.member.enrolled"));

        // The reply is signed by the console key, names the member and carries the certificate.
        Assert.True(SignedEnvelope.TryParse(ok.Body, out var reply, out _));
        Assert.True(reply.IsSignedBy(MessageFormats.EnrollReply, rig.Console.PublicKey));
        var payload = Vigil.Ops.Fleet.Messages.FleetJson.Deserialize<Vigil.Ops.Fleet.Messages.EnrollReply>(reply.Payload)!;
        Assert.Equal(FleetRig.CertificateSha256, payload.TlsCertificateSha256);
        Assert.Equal("n1", payload.RequestNonce);

        var intruder = rig.Identity(rig.MemberDir, "intruder.test");
        var again = await rig.Enrollment.EnrollAsync(token.ToString(), rig.EnrollRequest(intruder), "10.0.0.66", CancellationToken.None);
        Assert.Equal(401, again.StatusCode);
        Assert.Null(rig.Registry.Get(intruder.Id));
        Assert.False(rig.Enrollment.IsTokenValid(token.ToString()));
        var refused = Assert.Single(rig.ConsoleAudit.Of("fleet.enroll.refused"));
        Assert.Equal("10.0.0.66", refused.Details!["remote"]);
    }

    [Fact]
    public async Task A_token_expires_after_its_lifetime()
    {
        using var rig = new FleetRig();
        var (token, _) = rig.Tokens.Create(rig.Console.Id, TimeSpan.FromHours(24));
        rig.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.False(rig.Enrollment.IsTokenValid(token.ToString()));
        var response = await rig.Enrollment.EnrollAsync(token.ToString(), rig.EnrollRequest(rig.Member), "127.0.0.1", CancellationToken.None);
        Assert.Equal(401, response.StatusCode);
        Assert.Empty(rig.Registry.List());
    }

    [Fact]
    public async Task A_request_not_signed_by_the_key_it_introduces_is_refused_and_keeps_the_token()
    {
        using var rig = new FleetRig();
        var (token, _) = rig.Tokens.Create(rig.Console.Id, TimeSpan.FromHours(24));
        var other = rig.Identity(rig.MemberDir, "other.test");
        SignedEnvelope.TryParse(rig.EnrollRequest(rig.Member), out var envelope, out _);
        SignedEnvelope.TryParse(rig.EnrollRequest(other), out var otherEnvelope, out _);
        var spliced = (envelope with { Signature = otherEnvelope.Signature }).ToJson();
        var response = await rig.Enrollment.EnrollAsync(token.ToString(), spliced, "127.0.0.1", CancellationToken.None);
        Assert.Equal(401, response.StatusCode);
        Assert.True(rig.Enrollment.IsTokenValid(token.ToString()));

        var stale = await rig.Enrollment.EnrollAsync(token.ToString(), rig.EnrollRequest(rig.Member, rig.Time.GetUtcNow().AddMinutes(-6)), "127.0.0.1", CancellationToken.None);
        Assert.Equal(401, stale.StatusCode);
        Assert.Empty(rig.Registry.List());
        Assert.Equal(2, rig.ConsoleAudit.Of("fleet.enroll.refused").Count);
    }

    [Fact]
    public async Task A_token_made_for_another_console_is_refused()
    {
        using var rig = new FleetRig();
        var (token, _) = rig.Tokens.Create(rig.Console.Id, TimeSpan.FromHours(24));
        var foreign = token with { ConsoleId = new string('b', 32) };
        Assert.False(rig.Enrollment.IsTokenValid(foreign.ToString()));
        Assert.Equal(401, (await rig.Enrollment.EnrollAsync(foreign.ToString(), rig.EnrollRequest(rig.Member), "127.0.0.1", CancellationToken.None)).StatusCode);
    }
}
