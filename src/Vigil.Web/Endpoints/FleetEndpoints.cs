using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vigil.Ops.Files;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;
using Vigil.Ops.Signing;
using Vigil.Web.Auth;

namespace Vigil.Web.Endpoints;

/// <summary>The console's fleet API: enrollment (token) and heartbeats (member signature). Both
/// answer with a signed envelope, or one line of text on refusal.</summary>
public static class FleetEndpoints
{
    public static void MapFleetConsole(this IEndpointRouteBuilder app)
    {
        app.MapPost(MemberEnrollment.EnrollPath, async (HttpContext http, ConsoleEnrollment enrollment) =>
        {
            var body = await BoundedRead.ReadAllAsync(http.Request.Body, FleetJson.MaxMessageBytes, http.RequestAborted);
            var response = body is null
                ? FleetResponse.Refused(StatusCodes.Status413PayloadTooLarge, "request too large")
                : await enrollment.EnrollAsync(http.Items[EnrollmentTokenAuthenticationHandler.TokenItem] as string, body, Remote(http), http.RequestAborted);
            await SendAsync(http, response);
        }).RequireAuthorization(AuthSchemes.FleetEnrolleePolicy);

        app.MapPost(HeartbeatSender.HeartbeatPath, async (HttpContext http, ConsoleHeartbeats heartbeats) =>
        {
            var (member, envelope) = ((MemberRecord, SignedEnvelope))http.Items[MemberSignatureAuthenticationHandler.VerifiedItem]!;
            await SendAsync(http, await heartbeats.ReceiveAsync(member, envelope, Remote(http), http.RequestAborted));
        }).RequireAuthorization(AuthSchemes.FleetMemberPolicy);
    }

    private static async Task SendAsync(HttpContext http, FleetResponse response)
    {
        http.Response.StatusCode = response.StatusCode;
        http.Response.ContentType = response.ContentType;
        await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
    }

    private static string Remote(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
