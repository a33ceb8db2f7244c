using System.CommandLine;
using System.Globalization;
using Vigil.Core.Submission;

namespace Vigil.Host.Cli;

/// <summary><c>vigil sender allow|revoke|list|rate</c>: which addresses a user may send as beyond
/// their own and their aliases, and their hourly message limit.</summary>
public static class SenderCommands
{
    public static Command Create()
    {
        var group = new Command("sender", "Manage what users may send on submission");
        group.Subcommands.Add(Allow());
        group.Subcommands.Add(Revoke());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Rate());
        return group;
    }

    private static Command Allow()
    {
        var user = new Argument<string>("user") { Description = "user@domain" };
        var pattern = new Argument<string>("pattern") { Description = "An address, *@domain, or * (any address, and the null sender)" };
        var command = new Command("allow", "Let a user send as more addresses") { user, pattern };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(user)!, ct);
            var p = NormalisePattern(parse.GetValue(pattern)!);
            await ctx.Get<ISendPolicyStore>().AllowSenderAsync(account.Id, p, ct);
            await ctx.AuditAsync("sender.allow", account.Address, ct, new Dictionary<string, string> { ["pattern"] = p });
            Console.WriteLine($"{account.Address} may send as {p}");
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var user = new Argument<string>("user");
        var pattern = new Argument<string>("pattern");
        var command = new Command("revoke", "Take back a sender pattern") { user, pattern };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(user)!, ct);
            var p = NormalisePattern(parse.GetValue(pattern)!);
            if (!await ctx.Get<ISendPolicyStore>().RevokeSenderAsync(account.Id, p, ct)) throw new UserErrorException($"{account.Address} has no sender pattern {p}");
            await ctx.AuditAsync("sender.revoke", account.Address, ct, new Dictionary<string, string> { ["pattern"] = p });
            Console.WriteLine($"{account.Address} may no longer send as {p}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var user = new Argument<string>("user");
        var command = new Command("list", "Show a user's sender patterns and rate limit") { user };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(user)!, ct);
            var policy = await ctx.Get<ISendPolicyStore>().GetAsync(account.Id, ct);
            Console.WriteLine($"{account.Address} may send as: itself, its +tags and its aliases{string.Concat(policy.ExtraSenders.Select(p => ", " + p))}");
            Console.WriteLine(policy.MessagesPerHour is { } n
                ? $"rate limit: {n.ToString(CultureInfo.InvariantCulture)} messages/hour"
                : $"rate limit: server default ({ctx.Config.Outbound.MessagesPerHour.ToString(CultureInfo.InvariantCulture)} messages/hour)");
            return 0;
        });
        return command;
    }

    private static Command Rate()
    {
        var user = new Argument<string>("user");
        var limit = new Argument<string>("limit") { Description = "Messages per hour, or 'default'" };
        var command = new Command("rate", "Set a user's hourly message limit") { user, limit };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(user)!, ct);
            var text = parse.GetValue(limit)!.Trim();
            int? n = text.Equals("default", StringComparison.OrdinalIgnoreCase) ? null
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
                : throw new UserErrorException($"'{text}' is not a positive number of messages (or 'default')");
            await ctx.Get<ISendPolicyStore>().SetRateAsync(account.Id, n, ct);
            await ctx.AuditAsync("sender.rate", account.Address, ct, new Dictionary<string, string> { ["limit"] = text });
            Console.WriteLine($"{account.Address}: {(n is null ? "server default" : $"{n} messages/hour")}");
            return 0;
        });
        return command;
    }

    private static string NormalisePattern(string text)
    {
        var t = text.Trim();
        if (t == "*") return t;
        if (t.StartsWith("*@", StringComparison.Ordinal)) return "*@" + DomainCommands.Normalise(t[2..]);
        var address = UserCommands.ParseAddress(t).ToString();
        return SenderRules.IsValidPattern(address) ? address : throw new UserErrorException($"'{text}' is not an address, *@domain or *");
    }
}
