using System.CommandLine;
using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Host.Cli;

/// <summary><c>vigil alias add|list|remove</c>; <c>*@domain</c> is the domain's catch-all.</summary>
public static class AliasCommands
{
    public static Command Create()
    {
        var group = new Command("alias", "Manage aliases and catch-all addresses");

        var source = new Argument<string>("source") { Description = "alias@domain, or *@domain for a catch-all" };
        var target = new Argument<string>("target") { Description = "Where the mail goes (an address)" };
        var add = new Command("add", "Add an alias target") { source, target };
        add.WithContext(async (ctx, parse, ct) =>
        {
            var (local, domain) = ParseSource(parse.GetValue(source)!);
            var t = UserCommands.ParseAddress(parse.GetValue(target)!);
            if (await ctx.Get<IDirectoryStore>().GetDomainAsync(domain, ct) is null) throw new UserErrorException($"domain {domain} is not local");
            await ctx.Get<IDirectoryStore>().AddAliasAsync(local, domain, t.ToString(), ct);
            await ctx.AuditAsync("alias.add", $"{local}@{domain}", ct, new Dictionary<string, string> { ["target"] = t.ToString() });
            Console.WriteLine($"{local}@{domain} -> {t}");
            return 0;
        });

        var domainOpt = new Option<string?>("--domain");
        var list = new Command("list", "List aliases") { domainOpt };
        list.WithContext(async (ctx, parse, ct) =>
        {
            var d = parse.GetValue(domainOpt) is { } dn ? DomainCommands.Normalise(dn) : null;
            foreach (var a in await ctx.Get<IDirectoryStore>().ListAliasesAsync(d, ct)) Console.WriteLine($"{a.Source}\t{a.Target}");
            return 0;
        });

        var removeSource = new Argument<string>("source");
        var removeTarget = new Argument<string?>("target") { Arity = ArgumentArity.ZeroOrOne, Description = "Only this target (default: all)" };
        var remove = new Command("remove", "Remove an alias (or one of its targets)") { removeSource, removeTarget };
        remove.WithContext(async (ctx, parse, ct) =>
        {
            var (local, domain) = ParseSource(parse.GetValue(removeSource)!);
            var t = parse.GetValue(removeTarget) is { } tt ? UserCommands.ParseAddress(tt).ToString() : null;
            var n = await ctx.Get<IDirectoryStore>().RemoveAliasAsync(local, domain, t, ct);
            if (n == 0) throw new UserErrorException($"no such alias: {local}@{domain}");
            await ctx.AuditAsync("alias.remove", $"{local}@{domain}", ct);
            Console.WriteLine($"removed {n} alias target(s) of {local}@{domain}");
            return 0;
        });

        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        group.Subcommands.Add(remove);
        return group;
    }

    private static (string Local, string Domain) ParseSource(string text)
    {
        text = text.Trim();
        if (text.StartsWith("*@", StringComparison.Ordinal)) return (Alias.CatchAll, DomainCommands.Normalise(text[2..]));
        var a = UserCommands.ParseAddress(text);
        return (a.LocalPart, a.Domain);
    }
}
