using Vigil.Core.Delivery;

namespace Vigil.Core.Outbound;

/// <summary>RFC 3461 §4.1 NOTIFY, read as "which notices does the sender want". Without NOTIFY the
/// MTA notifies failures and may notify delays (§4.1: "NOTIFY=FAILURE or NOTIFY=FAILURE,DELAY");
/// Vigil does both, like Postfix. A null reverse-path never gets any notice (RFC 5321 §4.5.5).</summary>
public static class DsnRequest
{
    public static bool WantsFailure(Envelope envelope, DsnNotify notify) =>
        !envelope.IsNullSender && (notify == DsnNotify.Default || notify.HasFlag(DsnNotify.Failure));

    public static bool WantsDelay(Envelope envelope, DsnNotify notify) =>
        !envelope.IsNullSender && (notify == DsnNotify.Default || notify.HasFlag(DsnNotify.Delay));

    public static bool WantsSuccess(Envelope envelope, DsnNotify notify) =>
        !envelope.IsNullSender && notify.HasFlag(DsnNotify.Success);
}
