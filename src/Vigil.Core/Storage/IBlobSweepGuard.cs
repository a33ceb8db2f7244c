namespace Vigil.Core.Storage;

/// <summary>Keeps the store from deleting released message bodies while held, across processes:
/// a backup copies the bodies its snapshot names after the snapshot was taken, and a mailbox
/// restore into the running server finds a body present and then adds the row naming it; a body
/// deleted in between would fail the backup or leave a restored message without its body. The
/// sweeper skips its round while anyone holds the guard.</summary>
public interface IBlobSweepGuard
{
    /// <summary>Waits until no sweep is running, then holds off every sweep until disposed.</summary>
    Task<IDisposable> HoldAsync(CancellationToken ct);
}
