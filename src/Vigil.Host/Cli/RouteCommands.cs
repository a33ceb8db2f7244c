using System.CommandLine;
using System.Globalization;
using System.Net;
using Vigil.Core.Outbound.Routing;

namespace Vigil.Host.Cli;

/// <summary><c>vigil route set|list|remove</c>: the transport table (Postfix's transport_maps and
/// relayhost). A route sends a domain's mail (or, with <c>*</c>, every domain's) to a smart host,
/// or keeps MX delivery and only sets the TLS policy.</summary>
public static class RouteCommands
{
    public static Command Create()
    {
        var group = new Command("route", "Manage outbound routes (smart hosts and TLS policy per destination)");
        group.Subcommands.Add(Set());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Remove());
        return group;
    }

    private static Command Set()
    {
        var domain = new Argument<string>("domain") { Description = "Recipient domain, or * for every domain without its own route" };
        var target = new Argument<string>("target") { Description = "HOST:PORT of the smart host, or 'mx' to keep MX delivery" };
        var auth = new Option<string?>("--auth") { Description = "Authenticate to the smart host as USER; the password is read from the first line of stdin" };
        var tls = new Option<string>("--tls") { Description = "opportunistic (default), required, verify or none", DefaultValueFactory = _ => "opportunistic" };
        var command = new Command("set", "Add or replace the route for a domain") { domain, target, auth, tls };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var d = ParseDomain(parse.GetValue(domain)!);
            var (host, port) = ParseTarget(parse.GetValue(target)!);
            var user = parse.GetValue(auth);
            if (user is not null && host is null) throw new UserErrorException("--auth needs a smart host (HOST:PORT), not 'mx'");
            string? secret = null;
            if (user is not null)
            {
                secret = Console.In.ReadLine();
                if (string.IsNullOrEmpty(secret)) throw new UserErrorException("--auth: no password on stdin");
            }
            var route = new Route(d, host, port, user, secret, ParseTls(parse.GetValue(tls)!));
            await ctx.Get<IRouteStore>().SetAsync(route, ct);
            await ctx.AuditAsync("route.set", d, ct, new Dictionary<string, string> { ["route"] = route.ToString() });
            Console.WriteLine(route);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List routes; domains without one use their MX hosts");
        command.WithContext(async (ctx, _, ct) =>
        {
            foreach (var r in await ctx.Get<IRouteStore>().ListAsync(ct)) Console.WriteLine(r);
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var domain = new Argument<string>("domain");
        var command = new Command("remove", "Remove a route") { domain };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var d = ParseDomain(parse.GetValue(domain)!);
            if (!await ctx.Get<IRouteStore>().RemoveAsync(d, ct)) throw new UserErrorException($"no route for {d}");
            await ctx.AuditAsync("route.remove", d, ct);
            Console.WriteLine($"removed route for {d}");
            return 0;
        });
        return command;
    }

    private static string ParseDomain(string text) => text.Trim() == Route.Default ? Route.Default : DomainCommands.Normalise(text);

    /// <summary>"mx", "host:port", "192.0.2.1:25", "[2001:db8::1]:587".</summary>
    public static (string? Host, int Port) ParseTarget(string text)
    {
        var t = text.Trim();
        if (t.Equals("mx", StringComparison.OrdinalIgnoreCase)) return (null, 0);
        var colon = t.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new UserErrorException($"'{text}' is not HOST:PORT (or 'mx')");
        var host = t[..colon];
        if (host.StartsWith('[') && host.EndsWith(']') && IPAddress.TryParse(host[1..^1], out var v6)) return (v6.ToString(), port);
        if (IPAddress.TryParse(host, out var ip) && !host.Contains(':', StringComparison.Ordinal)) return (ip.ToString(), port);
        if (Uri.CheckHostName(host) == UriHostNameType.Dns) return (host.ToLowerInvariant(), port);
        throw new UserErrorException($"'{host}' is not a host name or address");
    }

    private static TlsPolicy ParseTls(string text) => text.Trim().ToLowerInvariant() switch
    {
        "opportunistic" or "may" => TlsPolicy.Opportunistic,
        "required" or "encrypt" => TlsPolicy.Required,
        "verify" => TlsPolicy.Verify,
        "none" => TlsPolicy.None,
        _ => throw new UserErrorException($"--tls '{text}': use opportunistic, required, verify or none"),
    };
}
