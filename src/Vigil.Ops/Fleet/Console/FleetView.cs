using Vigil.Ops.Advisories;

namespace Vigil.Ops.Fleet.Console;

/// <summary>One row of <c>vigil fleet status</c>.</summary>
public sealed record MemberView(MemberRecord Member, StoredHeartbeat? Last, IReadOnlyList<FleetFlag> Flags, IReadOnlyList<string> Advisories);

/// <summary>The console's view of its members, flags computed now against the console's own feed.</summary>
public sealed class FleetView(MemberRegistry members, FleetOptions options, TimeProvider time)
{
    public IReadOnlyList<MemberView> Members(AdvisoryFeed? consoleFeed)
    {
        var now = time.GetUtcNow();
        return members.List().Select(m =>
        {
            var last = members.LastHeartbeat(m.MemberId);
            return new MemberView(m, last, MemberFlags.Evaluate(last, consoleFeed, now, options),
                last is null ? [] : MemberFlags.AdvisoryIds(last.Heartbeat, consoleFeed));
        }).ToArray();
    }
}
