using System.Text.Json;
using Vigil.Ops.Files;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Ops.Fleet.Member;

/// <summary>The last results of actions this member carried out or refused, repeated in every
/// heartbeat until they age out (the console records each result once, by action id).</summary>
public sealed class ActionResults(FleetPaths paths)
{
    private const int Keep = 20;

    public IReadOnlyList<ActionResult> Recent()
    {
        try
        {
            return File.Exists(paths.ActionResults)
                ? FleetJson.Deserialize<List<ActionResult>>(File.ReadAllBytes(paths.ActionResults)) ?? []
                : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    internal void Add(ActionResult result) =>
        AtomicFile.WriteAllBytes(paths.ActionResults, FleetJson.Serialize(Recent().Append(result).TakeLast(Keep).ToList()));
}
