using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Ops.Files;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Web.Auth;

/// <summary>Authenticates a fleet member by its request body: a heartbeat envelope whose
/// signature verifies with the key the console pinned for that member at enrollment.</summary>
public sealed class MemberSignatureAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ConsoleHeartbeats heartbeats)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Role = "fleet-member";
    public const string VerifiedItem = "vigil.member.verified";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.ContentLength > FleetJson.MaxMessageBytes) return AuthenticateResult.Fail("body too large");
        var body = await BoundedRead.ReadAllAsync(Request.Body, FleetJson.MaxMessageBytes, Context.RequestAborted);
        if (body is null || body.Length == 0) return AuthenticateResult.NoResult();
        if (heartbeats.Authenticate(body) is not { } verified) return AuthenticateResult.Fail("not signed by an enrolled member's key");
        Context.Items[VerifiedItem] = verified;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, verified.Member.MemberId), new Claim(ClaimTypes.Role, Role)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
