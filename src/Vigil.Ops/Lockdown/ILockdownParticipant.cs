namespace Vigil.Ops.Lockdown;

/// <summary>Something that must change when the instance is locked down or released: listeners
/// end their sessions, outbound delivery pauses, the web layer revokes its tokens.</summary>
public interface ILockdownParticipant
{
    void Engaged(LockdownState state);

    void Lifted();
}
