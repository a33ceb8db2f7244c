using System.CommandLine;
using Vigil.Ops.Reset;

namespace Vigil.Host.Cli;

/// <summary><c>vigil user force-reset (--all | --domain D | ADDRESS...)</c> (docs/incident-response.md).</summary>
public static class UserForceResetCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Every account on this instance" };
        var domain = new Option<string?>("--domain") { Description = "Every account of one domain" };
        var addresses = new Argument<string[]>("address") { Description = "Accounts to reset", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("force-reset", "Expire passwords and app passwords and end sessions at once; the accounts log in again only after 'vigil user passwd' (which deletes the expired app passwords)") { all, domain, addresses };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var list = parse.GetValue(addresses) ?? [];
            var d = parse.GetValue(domain);
            var forms = (parse.GetValue(all) ? 1 : 0) + (d is not null ? 1 : 0) + (list.Length > 0 ? 1 : 0);
            if (forms != 1) throw new UserErrorException("say whose passwords to expire: --all, --domain DOMAIN, or one or more addresses (exactly one of these)");
            var scope = parse.GetValue(all) ? ForcedResetScope.Everyone
                : d is not null ? ForcedResetScope.ForDomain(DomainCommands.Normalise(d))
                : ForcedResetScope.For(list.Select(UserCommands.ParseAddress).ToList());
            var accounts = await ctx.Get<ForcedResetService>().ResetAsync(scope, Environment.UserName, "cli", ct);
            foreach (var a in accounts) Console.WriteLine($"expired {a.Address}");
            Console.WriteLine($"{accounts.Count} account(s) must set a new password (vigil user passwd ADDRESS); their open sessions are being ended");
            return 0;
        });
        return command;
    }
}
