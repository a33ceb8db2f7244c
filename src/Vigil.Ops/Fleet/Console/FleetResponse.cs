namespace Vigil.Ops.Fleet.Console;

/// <summary>What the console answers a member over HTTP: a status code and a body (a signed
/// envelope on success, one line of text on refusal).</summary>
public sealed record FleetResponse(int StatusCode, byte[] Body, string ContentType)
{
    public static FleetResponse Signed(Signing.SignedEnvelope envelope) => new(200, envelope.ToJson(), "application/json");

    public static FleetResponse Refused(int statusCode, string reason) => new(statusCode, System.Text.Encoding.UTF8.GetBytes(reason + "\n"), "text/plain; charset=utf-8");
}
