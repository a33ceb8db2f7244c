using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Ops.Fleet.Console;

namespace Vigil.Web.Auth;

/// <summary>Authenticates an enrolling member by a live one-time token
/// (<c>Authorization: VigilEnroll TOKEN</c>). The token is consumed by the enrollment itself.</summary>
public sealed class EnrollmentTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ConsoleEnrollment enrollment)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Role = "fleet-enrollee";
    public const string TokenItem = "vigil.enroll.token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var prefix = AuthSchemes.EnrollmentToken + " ";
        if (!header.StartsWith(prefix, StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());
        var token = header[prefix.Length..].Trim();
        if (!enrollment.IsTokenValid(token)) return Task.FromResult(AuthenticateResult.Fail("enrollment token unknown, expired or used"));
        Context.Items[TokenItem] = token;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, Role)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
