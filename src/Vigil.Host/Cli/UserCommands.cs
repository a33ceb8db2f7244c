using System.CommandLine;
using System.Globalization;
using Vigil.Core.Accounts;
using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;
using Vigil.Security.Passwords;

namespace Vigil.Host.Cli;

/// <summary><c>vigil user add|passwd|list|remove</c>, with <c>force-reset</c> and <c>app-password</c> in their own files.</summary>
public static class UserCommands
{
    public static Command Create()
    {
        var group = new Command("user", "Manage mail accounts");
        group.Subcommands.Add(Add());
        group.Subcommands.Add(Passwd());
        group.Subcommands.Add(List());
        group.Subcommands.Add(Remove());
        group.Subcommands.Add(UserForceResetCommand.Create());
        group.Subcommands.Add(UserAppPasswordCommands.Create());
        return group;
    }

    private static Command Add()
    {
        var address = new Argument<string>("address") { Description = "user@domain" };
        var stdin = PasswordStdin();
        var quota = new Option<string?>("--quota") { Description = "Mailbox quota, e.g. 500M or 2G (default: unlimited)" };
        var admin = new Option<bool>("--admin") { Description = "Make the account an administrator" };
        var command = new Command("add", "Create an account with the standard mailboxes") { address, stdin, quota, admin };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var a = ParseAddress(parse.GetValue(address)!);
            if (await ctx.Get<IDirectoryStore>().GetDomainAsync(a.Domain, ct) is null) throw new UserErrorException($"domain {a.Domain} is not local; add it first with 'vigil domain add {a.Domain}'");
            var generated = !parse.GetValue(stdin);
            var password = generated ? PasswordGenerator.Generate() : ReadPassword();
            var quotaBytes = ParseSize(parse.GetValue(quota));
            var account = await ctx.Get<AccountService>().CreateAsync(a, password, quotaBytes, parse.GetValue(admin), ct);
            await ctx.AuditAsync(account.IsAdmin ? "admin.add" : "user.add", account.Address, ct,
                new Dictionary<string, string> { ["quota"] = quotaBytes.ToString(CultureInfo.InvariantCulture) });
            Console.WriteLine($"added {account.Address}");
            if (generated) Console.WriteLine($"password: {password}");
            return 0;
        });
        return command;
    }

    private static Command Passwd()
    {
        var address = new Argument<string>("address");
        var stdin = PasswordStdin();
        var command = new Command("passwd", "Set a new password (clears a forced reset)") { address, stdin };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await FindAsync(ctx, parse.GetValue(address)!, ct);
            var generated = !parse.GetValue(stdin);
            var password = generated ? PasswordGenerator.Generate() : ReadPassword();
            await ctx.Get<AccountService>().SetPasswordAsync(account, password, ct);
            await ctx.AuditAsync("user.passwd", account.Address, ct);
            Console.WriteLine($"password changed for {account.Address}");
            if (generated) Console.WriteLine($"password: {password}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var domain = new Option<string?>("--domain");
        var command = new Command("list", "List accounts") { domain };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var d = parse.GetValue(domain) is { } dn ? DomainCommands.Normalise(dn) : null;
            foreach (var a in await ctx.Get<IDirectoryStore>().ListAccountsAsync(d, ct))
            {
                var quota = a.HasQuota ? FormatSize(a.QuotaBytes) : "unlimited";
                var flags = string.Join(',', new[] { a.IsAdmin ? "admin" : null, a.PasswordExpired ? "password-expired" : null }.OfType<string>());
                Console.WriteLine($"{a.Address}\tused {FormatSize(a.UsedBytes)}\tquota {quota}{(flags.Length > 0 ? "\t" + flags : "")}");
            }
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var address = new Argument<string>("address");
        var command = new Command("remove", "Delete an account with all its mail") { address };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var account = await FindAsync(ctx, parse.GetValue(address)!, ct);
            await ctx.Get<IDirectoryStore>().RemoveAccountAsync(account.Id, ct);
            await ctx.AuditAsync("user.remove", account.Address, ct);
            Console.WriteLine($"removed {account.Address}");
            return 0;
        });
        return command;
    }

    private static Option<bool> PasswordStdin() => new("--password-stdin") { Description = "Read the password from the first line of stdin (otherwise one is generated and printed once)" };

    public static async Task<Account> FindAsync(CliContext ctx, string address, CancellationToken ct)
    {
        var a = ParseAddress(address);
        return await ctx.Get<IDirectoryStore>().GetAccountAsync(a.LocalPart, a.Domain, ct) ?? throw new UserErrorException($"no such account: {a}");
    }

    public static EmailAddress ParseAddress(string text) =>
        EmailAddress.TryParse(text.Trim(), out var a) ? a : throw new UserErrorException($"'{text}' is not a valid address (user@domain)");

    private static string ReadPassword()
    {
        var line = Console.In.ReadLine();
        if (string.IsNullOrEmpty(line)) throw new UserErrorException("no password on stdin");
        if (line.Length < 8) throw new UserErrorException("password too short (at least 8 characters)");
        return line;
    }

    public static long ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return 0;
        var t = text.Trim().ToUpperInvariant();
        long multiplier = t[^1] switch { 'K' => 1024, 'M' => 1024 * 1024, 'G' => 1024L * 1024 * 1024, 'T' => 1024L * 1024 * 1024 * 1024, _ => 1 };
        if (multiplier > 1) t = t[..^1];
        return long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 ? checked(n * multiplier)
            : throw new UserErrorException($"'{text}' is not a size (e.g. 500M, 2G)");
    }

    public static string FormatSize(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024 * 1024):0.#}G",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#}M",
        >= 1024 => $"{bytes / 1024.0:0.#}K",
        _ => $"{bytes}B",
    };
}
