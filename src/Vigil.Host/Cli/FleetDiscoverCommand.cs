using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Host.Config;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Discovery;
using Vigil.Ops.Fleet.Member;

namespace Vigil.Host.Cli;

/// <summary><c>vigil fleet discover CIDR [--ports …]</c>: the forgotten server, found.</summary>
public static class FleetDiscoverCommand
{
    public static Command Create()
    {
        var cidr = new Argument<string>("cidr") { Description = "IPv4 range, e.g. 10.0.0.0/24" };
        var ports = new Option<string>("--ports") { Description = "Ports to probe", DefaultValueFactory = _ => string.Join(",", DiscoveryOptions.DefaultPorts) };
        var force = new Option<bool>("--force") { Description = "Allow ranges larger than a /16" };
        var rate = new Option<int>("--rate") { Description = "Connection attempts per second", DefaultValueFactory = _ => 50 };
        var all = new Option<bool>("--all") { Description = "Also list endpoints that belong to enrolled instances" };
        var json = new Option<bool>("--json") { Description = "Print the endpoints as JSON" };
        var command = new Command("discover", $"Probe a range for mail servers and list those that are not enrolled (exit {FleetCommands.ExitFlagged} if any)") { cidr, ports, force, rate, all, json };
        command.WithContext(async (ctx, parse, ct) =>
        {
            if (!Ipv4Range.TryParse(parse.GetValue(cidr)!, out var range)) throw new UserErrorException($"'{parse.GetValue(cidr)}' is not an IPv4 range (a.b.c.d/n)");
            var portList = ParsePorts(parse.GetValue(ports)!);
            var known = new EnrolledEndpoints(KnownInstances(ctx));
            var probe = new EndpointProbe(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
            var found = await new FleetDiscovery(probe).ScanAsync(range, portList, new DiscoveryOptions(parse.GetValue(rate)), parse.GetValue(force), known, ct);
            var unknown = found.Where(e => e.EnrolledAs is null).ToArray();
            await ctx.AuditAsync("fleet.discover", range.ToString(), ct, new Dictionary<string, string>
            {
                ["ports"] = string.Join(",", portList),
                ["answered"] = found.Count.ToString(CultureInfo.InvariantCulture),
                ["notEnrolled"] = unknown.Length.ToString(CultureInfo.InvariantCulture),
            });
            var shown = parse.GetValue(all) ? found : unknown;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(shown.Select(e => new { Address = e.Address.ToString(), e.Port, e.Service, e.Banner, e.TlsSubject, e.TlsSha256, Enrolled = e.EnrolledAs is not null, e.EnrolledAs }), VigilConfig.Json));
            }
            else
            {
                foreach (var e in shown)
                {
                    var seen = e.Banner ?? (e.TlsSubject is null ? "no greeting" : $"certificate {e.TlsSubject} sha256 {e.TlsSha256![..16]}…");
                    Console.WriteLine($"{(e.EnrolledAs is null ? "NOT ENROLLED" : e.EnrolledAs),-20}  {e.Address}:{e.Port,-5}  {e.Service,-9}  {seen}");
                }
                Console.Error.WriteLine($"{range}: {found.Count} endpoint(s) answered, {unknown.Length} not enrolled");
            }
            return unknown.Length > 0 ? FleetCommands.ExitFlagged : 0;
        });
        return command;
    }

    private static IReadOnlyList<int> ParsePorts(string text)
    {
        var list = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535) throw new UserErrorException($"'{part}' is not a port");
            list.Add(p);
        }
        return list.Count > 0 && list.Count <= 64 ? list : throw new UserErrorException("give between 1 and 64 ports");
    }

    /// <summary>This instance and every member the console knows, with where they listen.</summary>
    private static IEnumerable<KnownInstance> KnownInstances(CliContext ctx)
    {
        yield return new KnownInstance("this instance", FleetCommands.OwnListeners(ctx), HeartbeatFactory.HostAddresses(), OnThisHost: true);
        if (!ctx.Config.Fleet.Console) yield break;
        var registry = ctx.Get<MemberRegistry>();
        foreach (var m in registry.List())
        {
            var last = registry.LastHeartbeat(m.MemberId);
            if (last is null) continue;
            yield return new KnownInstance($"member {m.Hostname}", last.Heartbeat.Listeners, last.Heartbeat.Addresses, FleetCommands.IsLoopback(last.RemoteAddress));
        }
    }
}
