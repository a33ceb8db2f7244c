using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Core.Accounts;
using Vigil.Core.Model;
using Vigil.Host.Config;
using Vigil.Ops.Reset;

namespace Vigil.Host.Cli;

/// <summary><c>vigil user app-password add|list|revoke</c> (docs/security.md, "App passwords"). Each
/// change is audited; the password is printed once by <c>add</c> and appears nowhere else. A new app
/// password on an admin account is also a privileged principal: the running server alerts on it.</summary>
public static class UserAppPasswordCommands
{
    public static Command Create()
    {
        var group = new Command("app-password", "Passwords for mail clients (IMAP, POP3, SMTP submission only; never the admin console or webmail)");
        group.Subcommands.Add(Add());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Revoke());
        return group;
    }

    private static Command Add()
    {
        var address = new Argument<string>("address") { Description = "user@domain" };
        var name = NameArgument();
        var command = new Command("add", "Create a named app password and print it once") { address, name };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(address)!, ct);
            var n = ValidName(parse.GetValue(name)!);
            var (entry, password) = await ctx.Get<AppPasswordService>().CreateAsync(account, n, ct);
            await ctx.AuditAsync("app_password.add", account.Address, ct, new Dictionary<string, string>
            {
                ["name"] = entry.Name,
                ["admin"] = account.IsAdmin ? "true" : "false",
            });
            Console.WriteLine($"added app password {entry.Name} for {account.Address} (IMAP, POP3 and SMTP submission only)");
            Console.WriteLine($"password: {password}");
            Console.WriteLine("it is shown only now; revoke it with 'vigil user app-password revoke' if it is lost");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var address = new Argument<string>("address") { Description = "user@domain" };
        var json = new Option<bool>("--json") { Description = "Print one JSON array (name, created, lastUsed, expired)" };
        var command = new Command("list", "List an account's app passwords: name, created, last used") { address, json };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(address)!, ct);
            var entries = await ctx.Get<AppPasswordService>().ListAsync(account, ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(entries.Select(e => new { e.Name, e.Created, e.LastUsed, e.Expired }), VigilConfig.Json));
                return 0;
            }
            foreach (var e in entries)
            {
                var used = e.LastUsed is { } u ? Format(u) : "never";
                Console.WriteLine($"{e.Name}\tcreated {Format(e.Created)}\tlast used {used}{(e.Expired ? "\texpired (forced reset)" : "")}");
            }
            if (entries.Count == 0) Console.WriteLine($"{account.Address} has no app passwords");
            return 0;
        });
        return command;
    }

    private static Command Revoke()
    {
        var address = new Argument<string>("address") { Description = "user@domain" };
        var name = NameArgument();
        var command = new Command("revoke", "Delete one app password; clients using it can no longer log in") { address, name };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(address)!, ct);
            var n = ValidName(parse.GetValue(name)!);
            var revoked = await ctx.Get<AppPasswordService>().RevokeAsync(account, n, ct) ?? throw new UserErrorException($"{account.Address} has no app password named {n}");
            await ctx.AuditAsync("app_password.revoke", account.Address, ct, new Dictionary<string, string> { ["name"] = revoked.Name });
            // Only the sessions opened with this app password end; the user's other clients carry on.
            await ctx.Get<ISessionEnder>().EndAppPasswordSessionsAsync([revoked.Id], RevokedReason, ct);
            Console.WriteLine($"revoked app password {revoked.Name} of {account.Address}; sessions opened with it are being ended");
            return 0;
        });
        return command;
    }

    private const string RevokedReason = "app password revoked by the administrator";

    private static Argument<string> NameArgument() => new("name") { Description = "What the password is for, e.g. thunderbird or phone (letters, digits, '.', '_', '-')" };

    private static string ValidName(string name) => AppPasswordFormat.IsValidName(name) ? name
        : throw new UserErrorException($"'{name}' is not a valid app password name (1-64 letters, digits, '.', '_', '-')");

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
