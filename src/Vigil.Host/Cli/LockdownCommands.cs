using System.CommandLine;
using Vigil.Core.Audit;
using Vigil.Ops.Lockdown;

namespace Vigil.Host.Cli;

/// <summary><c>vigil lockdown on|off|status</c> (docs/incident-response.md). The state is a file in
/// the data directory: the running server picks it up within a second, and it survives restarts.</summary>
public static class LockdownCommands
{
    public static Command Create()
    {
        var group = new Command("lockdown", "Stop serving at once (refuse new work, end sessions, pause outbound), or resume");
        group.Subcommands.Add(On());
        group.Subcommands.Add(Off());
        group.Subcommands.Add(Status());
        return group;
    }

    private static LockdownService Service(CliContext ctx) => new(new LockdownStore(ctx.Data.LockdownFile), ctx.Get<IAuditLog>());

    private static Command On()
    {
        var reason = new Option<string>("--reason") { Description = "Why (shown to clients that are refused, and audited)", Required = true };
        var allow = new Option<string[]>("--allow") { Description = "A network (CIDR) from which the admin HTTP interface stays reachable; repeatable", AllowMultipleArgumentsPerToken = false };
        var command = new Command("on", "Engage the lockdown") { reason, allow };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var state = await Service(ctx).EngageAsync(parse.GetValue(reason)!, parse.GetValue(allow) ?? [], Environment.UserName, "cli", ct);
            Console.WriteLine($"lockdown ON: {state.Reason}");
            if (state.Allow.Count > 0) Console.WriteLine($"admin HTTP still allowed from: {string.Join(", ", state.Allow)}");
            Console.WriteLine(ServerNote(ctx));
            return 0;
        });
        return command;
    }

    private static Command Off()
    {
        var command = new Command("off", "Lift the lockdown");
        command.WithContext(async (ctx, _, ct) =>
        {
            if (!await Service(ctx).LiftAsync(Environment.UserName, "cli", ct))
            {
                Console.WriteLine("lockdown was not engaged");
                return 0;
            }
            Console.WriteLine("lockdown OFF");
            Console.WriteLine(ServerNote(ctx));
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Show whether the instance is locked down (exit 0 when not, 3 when it is)");
        command.WithContext(async (ctx, _, ct) => await StatusSection(ctx, ct) ? 0 : 3);
        return command;
    }

    /// <summary>The lockdown line of <c>vigil status</c>; false while locked down.</summary>
    public static Task<bool> StatusSection(CliContext ctx, CancellationToken ct)
    {
        var state = new LockdownStore(ctx.Data.LockdownFile).Read();
        if (state is null)
        {
            Console.WriteLine("lockdown   off");
            return Task.FromResult(true);
        }
        Console.WriteLine($"lockdown   ON since {state.Since:yyyy-MM-ddTHH:mm:ssZ} by {state.Actor} ({state.Source}): {state.Reason}");
        if (state.Allow.Count > 0) Console.WriteLine($"lockdown   admin HTTP allowed from {string.Join(", ", state.Allow)}");
        return Task.FromResult(false);
    }

    private static string ServerNote(CliContext ctx) => StatusCommand.ReadRunStatus(ctx.Data) is { } run
        ? $"the running server (pid {run.Pid}) applies this within {Math.Max(1, ctx.Config.Integrity.ControlPollMilliseconds / 1000.0):0.#} s"
        : "no server is running; it applies this when it starts";
}
