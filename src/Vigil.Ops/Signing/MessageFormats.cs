namespace Vigil.Ops.Signing;

/// <summary>The kinds of signed message Vigil knows; each is also the signature's domain separator.</summary>
public static class MessageFormats
{
    public const string AdvisoryFeed = "vigil-advisories/1";
    public const string EnrollRequest = "vigil-fleet-enroll/1";
    public const string EnrollReply = "vigil-fleet-enrolled/1";
    public const string Heartbeat = "vigil-fleet-heartbeat/1";
    public const string HeartbeatReply = "vigil-fleet-heartbeat-reply/1";
    public const string Action = "vigil-fleet-action/1";
}
