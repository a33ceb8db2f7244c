using System.CommandLine;
using System.Globalization;
using System.Net;
using Vigil.Core.Model;
using Vigil.Security.Bans;

namespace Vigil.Host.Cli;

/// <summary><c>vigil ban list|add|remove</c> and <c>vigil ban allow list|add|remove</c>. A running
/// server sees changes within <see cref="AutoBanOptions.RefreshInterval"/>; every change is audited.</summary>
public static class BanCommands
{
    public static Command Create()
    {
        var group = new Command("ban", "Show and manage banned networks and the never-ban allow-list");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Add());
        group.Subcommands.Add(Remove());
        group.Subcommands.Add(Allow());
        return group;
    }

    private static Command List()
    {
        var command = new Command("list", "List bans in force");
        command.WithContext(async (ctx, parse, ct) =>
        {
            var bans = await ctx.Get<BanAdministration>().ListActiveAsync(ct);
            foreach (var b in bans)
            {
                var until = b.Expires?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "never";
                var source = b.Source == BanSource.Admin ? "admin" : $"auto#{b.Offenses}";
                Console.WriteLine($"{b.Network}\t{source}\tuntil {until}\t{b.Reason}");
            }
            if (bans.Count == 0) Console.WriteLine("no bans in force");
            return 0;
        });
        return command;
    }

    private static Command Add()
    {
        var network = NetworkArgument();
        var duration = new Option<string?>("--for") { Description = "How long, e.g. 30m, 12h, 7d (default: until removed)" };
        var reason = new Option<string?>("--reason") { Description = "Why (kept with the ban and in the audit log)" };
        var command = new Command("add", "Ban an address or network") { network, duration, reason };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var n = ParseNetwork(parse.GetValue(network)!);
            var length = parse.GetValue(duration) is { } d ? ParseDuration(d) : (TimeSpan?)null;
            var ban = await ctx.Get<BanAdministration>().BanAsync(n, length, parse.GetValue(reason) ?? "banned by admin", Actor, ct);
            Console.WriteLine($"banned {ban.Network} until {ban.Expires?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) ?? "removed"}");
            if ((await ctx.Get<BanAdministration>().ListExemptionsAsync(ct)).Any(e => Overlaps(e.Network, n)))
                Console.Error.WriteLine($"vigil: warning: {n} overlaps the allow-list; allow-listed addresses stay reachable");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var network = NetworkArgument();
        var command = new Command("remove", "Lift a ban (and forget its offence history)") { network };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var n = ParseNetwork(parse.GetValue(network)!);
            if (!await ctx.Get<BanAdministration>().UnbanAsync(n, Actor, ct)) throw new UserErrorException($"{n} is not banned");
            Console.WriteLine($"removed ban of {n}");
            return 0;
        });
        return command;
    }

    private static Command Allow()
    {
        var group = new Command("allow", "Networks that are never banned or rate limited (none by default)");

        var list = new Command("list", "List the allow-list");
        list.WithContext(async (ctx, parse, ct) =>
        {
            foreach (var e in await ctx.Get<BanAdministration>().ListExemptionsAsync(ct))
                Console.WriteLine($"{e.Network}\tadded by {e.AddedBy} {e.Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\t{e.Note}");
            return 0;
        });

        var addNetwork = NetworkArgument();
        var note = new Option<string?>("--note") { Description = "Why this network is trusted" };
        var add = new Command("add", "Never ban or rate-limit a network") { addNetwork, note };
        add.WithContext(async (ctx, parse, ct) =>
        {
            var n = ParseNetwork(parse.GetValue(addNetwork)!);
            if (!await ctx.Get<BanAdministration>().AllowAsync(n, parse.GetValue(note) ?? "", Actor, ct)) throw new UserErrorException($"{n} is already on the allow-list");
            Console.WriteLine($"allow-listed {n}");
            return 0;
        });

        var removeNetwork = NetworkArgument();
        var remove = new Command("remove", "Take a network off the allow-list") { removeNetwork };
        remove.WithContext(async (ctx, parse, ct) =>
        {
            var n = ParseNetwork(parse.GetValue(removeNetwork)!);
            if (!await ctx.Get<BanAdministration>().DisallowAsync(n, Actor, ct)) throw new UserErrorException($"{n} is not on the allow-list");
            Console.WriteLine($"removed {n} from the allow-list");
            return 0;
        });

        group.Subcommands.Add(list);
        group.Subcommands.Add(add);
        group.Subcommands.Add(remove);
        return group;
    }

    private static AuditActor Actor => new(Environment.UserName, "cli");

    private static Argument<string> NetworkArgument() => new("network") { Description = "An address (203.0.113.7) or a network (203.0.113.0/24, 2001:db8::/48)" };

    private static IPNetwork ParseNetwork(string text) =>
        Networks.TryParse(text.Trim(), out var n) ? n : throw new UserErrorException($"'{text}' is not an IP address or network");

    /// <summary>"90s", "30m", "12h", "7d".</summary>
    public static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n < 100_000)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new UserErrorException($"'{text}' is not a duration (use e.g. 30m, 12h, 7d)");
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);
}
