using System.CommandLine;
using System.Globalization;
using Vigil.Security.Audit;
using Vigil.Security.Keys;

namespace Vigil.Host.Cli;

/// <summary><c>vigil audit show|verify</c> (docs/audit.md).</summary>
public static class AuditCommands
{
    public static Command Create()
    {
        var group = new Command("audit", "Read and verify the tamper-evident audit log");
        group.Subcommands.Add(Show());
        group.Subcommands.Add(Verify());
        return group;
    }

    private static Command Show()
    {
        var since = new Option<string?>("--since") { Description = "Only entries from this time on: 2026-01-15, 2026-01-15T08:00Z, or an age such as 30m, 6h, 7d" };
        var actor = new Option<string?>("--actor") { Description = "Only entries by this actor" };
        var action = new Option<string?>("--action") { Description = "Only this action; 'user.' or 'user*' matches every user action" };
        var json = new Option<bool>("--json") { Description = "Print the entries as the JSON lines stored in the log" };
        var command = new Command("show", "List audit entries, oldest first") { since, actor, action, json };
        command.WithContext((ctx, parse, ct) =>
        {
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } s)
            {
                if (!AuditQuery.TryParseSince(s, DateTimeOffset.UtcNow, out var t)) throw new UserErrorException($"--since '{s}' is neither a time (2026-01-15T08:00Z) nor an age (30m, 6h, 7d)");
                from = t;
            }
            var query = new AuditQuery(from, parse.GetValue(actor), parse.GetValue(action));
            var asJson = parse.GetValue(json);
            foreach (var r in AuditRecord.ReadAll(new AuditFiles(ctx.Data.Audit)).Where(query.Matches))
            {
                Console.WriteLine(asJson ? r.Json : Format(r));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Format(AuditRecord r)
    {
        var details = string.Join(' ', r.Details.Select(kv => $"{kv.Key}={kv.Value}"));
        return string.Create(CultureInfo.InvariantCulture, $"{r.Seq,6} {r.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {r.Actor,-16} {r.Source,-10} {r.Action,-22} {r.Target}{(details.Length > 0 ? "  " + details : "")}");
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Check the hash chain and the signed checkpoints; exit 0 with the number of entries checked, 2 naming the first broken entry");
        command.WithContext((ctx, _, _) =>
        {
            byte[]? key = null;
            if (File.Exists(ctx.Data.InstanceKeyFile))
            {
                using var instance = InstanceKey.Load(ctx.Data.InstanceKeyFile);
                key = instance.PublicKey;
            }
            else
            {
                Console.Error.WriteLine($"vigil: warning: {ctx.Data.InstanceKeyFile} is missing; checkpoint signatures are not checked");
            }
            var result = AuditVerifier.Verify(new AuditFiles(ctx.Data.Audit), key);
            if (result.Break is { } broken)
            {
                Console.WriteLine($"audit log BROKEN at {broken}");
                Console.WriteLine($"{result.Entries} entries before it are intact");
                return Task.FromResult(2);
            }
            Console.WriteLine($"audit log OK: {result.Entries} entries checked, {result.Checkpoints} signed checkpoint(s){(result.SignaturesChecked ? "" : " (signatures not checked)")}");
            return Task.FromResult(0);
        });
        return command;
    }
}
