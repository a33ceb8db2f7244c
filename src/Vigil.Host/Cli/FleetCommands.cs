using System.CommandLine;
using System.Net;
using System.Text.Json;
using Vigil.Host.Config;
using Vigil.Ops;
using Vigil.Ops.Advisories;
using Vigil.Ops.Fleet;
using Vigil.Ops.Fleet.Actions;
using Vigil.Ops.Fleet.Console;
using Vigil.Ops.Fleet.Discovery;
using Vigil.Ops.Fleet.Enrollment;
using Vigil.Ops.Fleet.Member;
using Vigil.Ops.Fleet.Messages;

namespace Vigil.Host.Cli;

/// <summary><c>vigil fleet token|enroll|status|action|accept-audit|remove|leave|discover</c>.</summary>
public static class FleetCommands
{
    public const int ExitFlagged = 2;

    public static Command Create()
    {
        var group = new Command("fleet", "Fleet console and membership: enroll instances, see the silent, the outdated and the forgotten");
        group.Subcommands.Add(Token());
        group.Subcommands.Add(Enroll());
        group.Subcommands.Add(Status());
        group.Subcommands.Add(Action());
        group.Subcommands.Add(AcceptAudit());
        group.Subcommands.Add(Remove());
        group.Subcommands.Add(Leave());
        group.Subcommands.Add(FleetDiscoverCommand.Create());
        return group;
    }

    private static Command Token()
    {
        var command = new Command("token", "On the console: print a one-time enrollment token (valid 24 h)");
        command.WithContext(async (ctx, _, ct) =>
        {
            RequireConsole(ctx);
            var identity = ctx.Get<FleetIdentity>();
            var (token, expires) = ctx.Get<EnrollmentTokens>().Create(identity.Id, ctx.Get<FleetOptions>().TokenLifetime);
            await ctx.AuditAsync("fleet.token.created", token.Hash[..16], ct, new Dictionary<string, string> { ["expires"] = AdvisoriesCommands.Time(expires) });
            Console.WriteLine(token);
            Console.Error.WriteLine($"one use, expires {AdvisoriesCommands.Time(expires)}; on the member run:");
            Console.Error.WriteLine($"  vigil fleet enroll https://{ctx.Config.Hostname}:{ctx.Config.Ports.Http} {token}");
            return 0;
        });
        return command;
    }

    private static Command Enroll()
    {
        var url = new Argument<string>("url") { Description = "The console's HTTPS address, e.g. https://console.example.org:443" };
        var token = new Argument<string>("token") { Description = "The token printed by 'vigil fleet token' on the console" };
        var command = new Command("enroll", "On a member: join the console's fleet; both sides pin each other's key") { url, token };
        command.WithContext(async (ctx, parse, ct) =>
        {
            if (!EnrollmentToken.TryParse(parse.GetValue(token), out _)) throw new UserErrorException("that is not an enrollment token (vgl1.…)");
            Membership membership;
            try
            {
                membership = await ctx.Get<MemberEnrollment>().EnrollAsync(parse.GetValue(url)!, parse.GetValue(token)!, Actor.CommandLine(), ct);
            }
            catch (HttpRequestException ex)
            {
                throw new UserErrorException($"cannot reach the console: {ex.Message}");
            }
            Console.WriteLine($"enrolled with console {membership.ConsoleId} ({membership.ConsoleHostname}) at {membership.ConsoleUrl}");
            Console.WriteLine($"heartbeat every {ctx.Config.Fleet.HeartbeatSeconds} s from 'vigil serve' (a running server picks this up by itself)");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "Print every member as JSON" };
        var command = new Command("status", $"On the console: every member with its flags (exit {ExitFlagged} if any is flagged)") { json };
        command.WithContext((ctx, parse, _) =>
        {
            RequireConsole(ctx);
            var members = ctx.Get<FleetView>().Members(ctx.Get<AdvisoryService>().CurrentFeed());
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(members.Select(ToJson), VigilConfig.Json));
            else PrintTable(members);
            return Task.FromResult(members.Any(m => m.Flags.Count > 0) ? ExitFlagged : 0);
        });
        return command;
    }

    /// <summary>The member argument that means every enrolled member (issue 10: the console locks
    /// down one member or all of them with one command).</summary>
    public const string AllMembers = "all";

    private static Command Action()
    {
        var member = new Argument<string>("member") { Description = $"Member id (or a unique prefix of 6+ characters, or its host name), or '{AllMembers}' for every enrolled member" };
        var action = new Argument<string>("action") { Description = $"One of: {string.Join(", ", FleetActionNames.All)}" };
        action.CompletionSources.Add(FleetActionNames.All.ToArray());
        var command = new Command("action", "On the console: ask a member (or all of them) to carry out one of the enumerated actions (signed, delivered with its next heartbeat, valid 5 min)") { member, action };
        command.WithContext(async (ctx, parse, ct) =>
        {
            RequireConsole(ctx);
            if (!FleetActionNames.TryParse(parse.GetValue(action), out var what))
                throw new UserErrorException($"unknown action '{parse.GetValue(action)}'; the set is: {string.Join(", ", FleetActionNames.All)}");
            var registry = ctx.Get<MemberRegistry>();
            var targets = parse.GetValue(member) == AllMembers
                ? registry.List()
                : [registry.Find(parse.GetValue(member)!) ?? throw new UserErrorException($"no enrolled member '{parse.GetValue(member)}'")];
            if (targets.Count == 0) throw new UserErrorException("no enrolled members");
            foreach (var target in targets)
            {
                var issued = await ctx.Get<ActionOutbox>().IssueAsync(target.MemberId, what, Actor.CommandLine(), ct);
                Console.WriteLine($"action {issued.Id} ({issued.Action}) queued for {target.Hostname} ({target.MemberId}); it expires unsent in 5 minutes");
            }
            return 0;
        });
        return command;
    }

    private static Command AcceptAudit()
    {
        var member = new Argument<string>("member") { Description = "Member id (or a unique prefix of 6+ characters, or its host name)" };
        var command = new Command("accept-audit", "On the console: after looking into an AUDIT-BROKEN flag (or restoring the member from a backup), accept the member's audit log as it is now; audited") { member };
        command.WithContext(async (ctx, parse, ct) =>
        {
            RequireConsole(ctx);
            var registry = ctx.Get<MemberRegistry>();
            var target = registry.Find(parse.GetValue(member)!) ?? throw new UserErrorException($"no enrolled member '{parse.GetValue(member)}'");
            var problem = registry.LastHeartbeat(target.MemberId)?.AuditProblem;
            if (!registry.AcceptAudit(target.MemberId)) throw new UserErrorException($"{target.Hostname} ({target.MemberId}) has no AUDIT-BROKEN flag");
            await ctx.AuditAsync("fleet.member.audit_accepted", target.MemberId, ct, new Dictionary<string, string> { ["hostname"] = target.Hostname, ["problem"] = problem! });
            Console.WriteLine($"accepted the audit log of {target.Hostname} ({target.MemberId}) as it is now; was: {problem}");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var member = new Argument<string>("member");
        var command = new Command("remove", "On the console: forget a member and its pinned key; audited") { member };
        command.WithContext(async (ctx, parse, ct) =>
        {
            RequireConsole(ctx);
            var target = ctx.Get<MemberRegistry>().Find(parse.GetValue(member)!) ?? throw new UserErrorException($"no enrolled member '{parse.GetValue(member)}'");
            ctx.Get<MemberRegistry>().Remove(target.MemberId);
            await ctx.AuditAsync("fleet.member.removed", target.MemberId, ct, new Dictionary<string, string> { ["hostname"] = target.Hostname });
            Console.WriteLine($"removed {target.Hostname} ({target.MemberId})");
            return 0;
        });
        return command;
    }

    private static Command Leave()
    {
        var command = new Command("leave", "On a member: forget the pinned console and stop reporting; audited");
        command.WithContext(async (ctx, _, ct) =>
        {
            var membership = ctx.Get<MembershipStore>().Load() ?? throw new UserErrorException("this instance is not enrolled in a fleet");
            ctx.Get<MembershipStore>().Remove();
            await ctx.AuditAsync("fleet.left", membership.ConsoleId, ct, new Dictionary<string, string> { ["consoleUrl"] = membership.ConsoleUrl });
            Console.WriteLine($"left the fleet of {membership.ConsoleId} ({membership.ConsoleUrl})");
            return 0;
        });
        return command;
    }

    /// <summary><c>vigil status</c>: this instance's place in the fleet.</summary>
    public static Task<bool> StatusSection(CliContext ctx, CancellationToken ct)
    {
        var healthy = true;
        if (ctx.Config.Fleet.Console)
        {
            var members = ctx.Get<FleetView>().Members(ctx.Get<AdvisoryService>().CurrentFeed());
            var flagged = members.Where(m => m.Flags.Count > 0).ToArray();
            Console.WriteLine($"fleet      console {ctx.Get<FleetIdentity>().Id}: {members.Count} member(s), {flagged.Length} flagged");
            foreach (var m in flagged) Console.WriteLine($"           {m.Member.Hostname} ({m.Member.MemberId[..12]}): {string.Join(" ", m.Flags)}");
            healthy = flagged.Length == 0;
        }
        var membership = ctx.Get<MembershipStore>().Load();
        if (membership is not null)
        {
            var report = ctx.Get<LastReportStore>().Load();
            var overdue = report is null || DateTimeOffset.UtcNow - report.At > 3 * TimeSpan.FromSeconds(Math.Max(1, ctx.Config.Fleet.HeartbeatSeconds));
            var last = report is null ? "no report sent yet" : $"last report {MemberFlags.Ago(DateTimeOffset.UtcNow - report.At)} ago {(report.Ok ? "ok" : "FAILED: " + report.Detail)}";
            Console.WriteLine($"fleet      member of console {membership.ConsoleId} ({membership.ConsoleHostname}) at {membership.ConsoleUrl}; {last}");
            healthy &= report is { Ok: true } && !overdue;
        }
        else if (!ctx.Config.Fleet.Console)
        {
            Console.WriteLine("fleet      not enrolled: no console watches this instance (vigil fleet enroll URL TOKEN)");
        }
        return Task.FromResult(healthy);
    }

    private static void PrintTable(IReadOnlyList<MemberView> members)
    {
        if (members.Count == 0)
        {
            Console.WriteLine("no members enrolled (vigil fleet token, then vigil fleet enroll on the member)");
            return;
        }
        Console.WriteLine($"{"MEMBER",-12}  {"HOSTNAME",-24}  {"BUILD",6}  {"LAST SEEN",-9}  FLAGS");
        var now = DateTimeOffset.UtcNow;
        foreach (var m in members)
        {
            var build = m.Last?.Heartbeat.Build.BuildNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            var seen = m.Last is null ? "never" : MemberFlags.Ago(now - m.Last.ReceivedAt) + " ago";
            var flags = m.Flags.Count == 0 ? "ok" : string.Join(" ", m.Flags);
            Console.WriteLine($"{m.Member.MemberId[..12],-12}  {m.Member.Hostname,-24}  {build,6}  {seen,-9}  {flags}");
            if (m.Advisories.Count > 0) Console.WriteLine($"{"",-12}  advisories: {string.Join(", ", m.Advisories)}");
        }
    }

    private static object ToJson(MemberView m)
    {
        var hb = m.Last?.Heartbeat;
        return new
        {
            m.Member.MemberId,
            m.Member.Hostname,
            m.Member.InstanceId,
            m.Member.EnrolledAt,
            LastSeen = m.Last?.ReceivedAt,
            RemoteAddress = m.Last?.RemoteAddress,
            Flags = m.Flags.Select(f => new { f.Name, f.Detail }),
            m.Advisories,
            Build = hb?.Build,
            AdvisoryState = hb?.Advisories,
            hb?.StartedAt,
            UptimeSeconds = hb is null ? (long?)null : (long)(hb.SentAt - hb.StartedAt).TotalSeconds,
            hb?.Listeners,
            hb?.Lockdown,
            hb?.Integrity,
            hb?.Backup,
            Audit = hb?.Audit is { } audit ? new { audit.Entries, Checkpoint = audit.Checkpoints.LastOrDefault(), Problem = m.Last!.AuditProblem } : null,
            hb?.Alerts,
            hb?.Counts,
            ActionResults = hb?.ActionResults,
        };
    }

    private static void RequireConsole(CliContext ctx)
    {
        if (!ctx.Config.Fleet.Console) throw new UserErrorException("this instance is not a fleet console (set \"fleet\": { \"console\": true } in vigil.json and restart)");
    }

    /// <summary>Listeners of this instance as run/status.json (or, when stopped, the config) describes them.</summary>
    internal static IReadOnlyList<ListenerFacts> OwnListeners(CliContext ctx)
    {
        var run = StatusCommand.ReadRunStatus(ctx.Data);
        var endpoints = run is not null
            ? run.Listeners.Select(l => new Vigil.Ops.Fleet.Facts.ListenerEndpoint(l.Name, l.Protocol, l.Address, l.Port, l.ImplicitTls))
            : ConfiguredPorts(ctx.Config).Select(p => new Vigil.Ops.Fleet.Facts.ListenerEndpoint(p.Name, "?", ctx.Config.Bind, p.Port, false));
        return HeartbeatFactory.Listeners(endpoints, ctx.Config.Fleet.PublicListeners);
    }

    private static IEnumerable<(string Name, int Port)> ConfiguredPorts(VigilConfig c) =>
        new (string, int?)[]
        {
            ("smtp", c.Ports.Smtp), ("submission", c.Ports.Submission), ("submissions", c.Ports.Submissions), ("imap", c.Ports.Imap),
            ("imaps", c.Ports.Imaps), ("pop3", c.Ports.Pop3), ("pop3s", c.Ports.Pop3s), ("http", c.Ports.Http),
        }.Where(p => p.Item2 is > 0).Select(p => (p.Item1, p.Item2!.Value));

    internal static bool IsLoopback(string? address) => address is not null && IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);
}
