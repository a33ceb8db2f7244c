using System.CommandLine;
using Vigil.Core.Domains;
using Vigil.Core.Storage;
using Vigil.Security.Dkim;

namespace Vigil.Host.Cli;

/// <summary><c>vigil domain dns DOMAIN</c> (every record to publish) and <c>vigil domain dkim
/// DOMAIN</c> (create the DKIM keys a domain lacks); <c>domain add</c> creates them too.</summary>
public static class DomainDnsCommands
{
    public static IEnumerable<Command> Create() => [Dns(), Dkim()];

    /// <summary>Creates the keys the domain lacks. <c>domain add</c> passes <paramref name="audit"/>
    /// false: its own "domain.add" entry covers the keys that come with a new domain.</summary>
    public static async Task CreateKeysAsync(CliContext ctx, string domain, bool audit, CancellationToken ct)
    {
        var created = await DkimKeyProvisioner.EnsureKeysAsync(ctx.Get<IDkimKeyStore>(), domain, DateTimeOffset.UtcNow, ct);
        if (created.Count == 0) return;
        if (audit) await ctx.AuditAsync("dkim.create", domain, ct, new Dictionary<string, string> { ["selectors"] = string.Join(',', created.Select(k => k.Selector)) });
        Console.WriteLine($"DKIM keys created for {domain} (selectors {string.Join(", ", created.Select(k => k.Selector))}); publish them: vigil domain dns {domain}");
    }

    private static Command Dns()
    {
        var name = new Argument<string>("name") { Description = "A local domain" };
        var command = new Command("dns", "Print the DNS records to publish for a domain (zone-file syntax)") { name };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var domain = await LocalDomainAsync(ctx, parse.GetValue(name)!, ct);
            var keys = await ctx.Get<IDkimKeyStore>().ListAsync(domain, ct);
            Console.WriteLine($"; DNS records for {domain}, mail host {ctx.Config.Hostname}");
            if (keys.Count == 0) Console.WriteLine($"; no DKIM keys yet: run 'vigil domain dkim {domain}'");
            foreach (var record in DnsRecordSet.For(domain, ctx.Config.Hostname, keys, DateTimeOffset.UtcNow))
            {
                Console.WriteLine($"; {record.Purpose}");
                Console.WriteLine(DnsRecordSet.ToZoneLine(record));
            }
            return 0;
        });
        return command;
    }

    private static Command Dkim()
    {
        var name = new Argument<string>("name") { Description = "A local domain" };
        var command = new Command("dkim", "Create the DKIM keys (RSA-2048 and Ed25519) a domain does not have yet") { name };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var domain = await LocalDomainAsync(ctx, parse.GetValue(name)!, ct);
            await CreateKeysAsync(ctx, domain, audit: true, ct);
            foreach (var key in await ctx.Get<IDkimKeyStore>().ListAsync(domain, ct)) Console.WriteLine($"{key.Selector}\t{key.Algorithm.ToString().ToLowerInvariant()}\tcreated {key.Created:yyyy-MM-dd}");
            return 0;
        });
        return command;
    }

    private static async Task<string> LocalDomainAsync(CliContext ctx, string text, CancellationToken ct)
    {
        var domain = DomainCommands.Normalise(text);
        return await ctx.Get<IDirectoryStore>().GetDomainAsync(domain, ct) is null ? throw new UserErrorException($"no such domain: {domain}") : domain;
    }
}
