using System.CommandLine;
using Vigil.Core.Addressing;
using Vigil.Core.Storage;

namespace Vigil.Host.Cli;

/// <summary><c>vigil domain add|list|remove</c> (and <c>dns</c>, <c>dkim</c> from <see cref="DomainDnsCommands"/>).</summary>
public static class DomainCommands
{
    public static Command Create()
    {
        var group = new Command("domain", "Manage the domains this server receives mail for");

        var name = new Argument<string>("name") { Description = "Domain name, e.g. example.org" };
        var add = new Command("add", "Add a local domain") { name };
        add.WithContext(async (ctx, parse, ct) =>
        {
            var domain = Normalise(parse.GetValue(name)!);
            await ctx.Get<IDirectoryStore>().AddDomainAsync(domain, ct);
            await ctx.AuditAsync("domain.add", domain, ct);
            Console.WriteLine($"added domain {domain}");
            await DomainDnsCommands.CreateKeysAsync(ctx, domain, audit: false, ct);
            return 0;
        });

        var list = new Command("list", "List local domains");
        list.WithContext(async (ctx, _, ct) =>
        {
            foreach (var d in await ctx.Get<IDirectoryStore>().ListDomainsAsync(ct)) Console.WriteLine(d.Name);
            return 0;
        });

        var removeName = new Argument<string>("name");
        var remove = new Command("remove", "Remove a domain that has no accounts") { removeName };
        remove.WithContext(async (ctx, parse, ct) =>
        {
            var domain = Normalise(parse.GetValue(removeName)!);
            if (!await ctx.Get<IDirectoryStore>().RemoveDomainAsync(domain, ct)) throw new UserErrorException($"no such domain: {domain}");
            await ctx.AuditAsync("domain.remove", domain, ct);
            Console.WriteLine($"removed domain {domain}");
            return 0;
        });

        group.Subcommands.Add(add);
        group.Subcommands.Add(list);
        group.Subcommands.Add(remove);
        foreach (var c in DomainDnsCommands.Create()) group.Subcommands.Add(c);
        return group;
    }

    public static string Normalise(string domain) =>
        EmailAddress.TryNormaliseDomain(domain.Trim(), out var d) ? d : throw new UserErrorException($"'{domain}' is not a valid domain name");
}
