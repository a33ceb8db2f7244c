using System.CommandLine;
using System.Globalization;
using System.Text;
using Vigil.Core.Outbound;
using Vigil.Core.Outbound.Dsn;
using Vigil.Core.Storage;

namespace Vigil.Host.Cli;

/// <summary><c>vigil queue list|show|retry|remove</c>: the outbound queue, like Postfix's mailq,
/// postqueue -f and postsuper -d.</summary>
public static class QueueCommands
{
    public static Command Create()
    {
        var group = new Command("queue", "Inspect and manage the outbound mail queue");
        group.Subcommands.Add(List());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(Retry());
        group.Subcommands.Add(Remove());
        return group;
    }

    private static Command List()
    {
        var command = new Command("list", "List queued messages with destination, attempts, last error and next attempt");
        command.WithContext(async (ctx, _, ct) =>
        {
            var entries = await ctx.Get<IQueueStore>().ListAsync(ct);
            Console.WriteLine("ID            SIZE      ARRIVED               SENDER");
            foreach (var entry in entries)
            {
                var m = entry.Message;
                Console.WriteLine($"{m.Id,-13} {UserCommands.FormatSize(m.Size),-9} {Time(m.Created),-21} <{m.Envelope.MailFrom}>");
                foreach (var r in entry.Recipients) Console.WriteLine("    " + RecipientLine(r));
            }
            var pending = entries.Sum(e => e.Recipients.Count(r => r.Progress.State == RecipientState.Pending));
            Console.WriteLine($"-- {entries.Count} message(s), {pending} recipient(s) pending");
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var id = QueueIdArgument();
        var command = new Command("show", "Show one queued message: envelope, recipients and header") { id };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var entry = await FindAsync(ctx, parse.GetValue(id)!, ct);
            var m = entry.Message;
            var e = m.Envelope;
            Console.WriteLine($"id:        {m.Id}");
            Console.WriteLine($"arrived:   {Time(m.Created)}");
            Console.WriteLine($"size:      {m.Size}");
            Console.WriteLine($"sender:    <{e.MailFrom}>{(e.AuthenticatedUser is null ? "" : $" (authenticated as {e.AuthenticatedUser})")}");
            Console.WriteLine($"client:    {e.ClientHelo} [{e.ClientAddress}]");
            Console.WriteLine($"dsn:       envid={e.EnvId ?? "-"} ret={e.Ret.ToString().ToLowerInvariant()}");
            Console.WriteLine($"blob:      {m.Blob}");
            Console.WriteLine("recipients:");
            foreach (var r in entry.Recipients) Console.WriteLine("    " + RecipientLine(r) + $" notify={r.Notify.ToString().ToLowerInvariant()}{(r.OriginalRecipient is null ? "" : $" orcpt={r.OriginalRecipient}")}");
            using var stream = ctx.Get<IBlobStore>().OpenRead(m.Blob);
            Console.WriteLine("header:");
            Console.Write(stream is null ? "    (message content missing)\n" : Encoding.UTF8.GetString(ReturnedContent.ReadHeaderBlock(stream)).ReplaceLineEndings("\n"));
            return 0;
        });
        return command;
    }

    private static Command Retry()
    {
        var id = new Argument<string?>("id") { Arity = ArgumentArity.ZeroOrOne, Description = "Queue id (or --all)" };
        var all = new Option<bool>("--all") { Description = "Retry every pending recipient now" };
        var command = new Command("retry", "Make pending recipients due now (the server picks them up within seconds)") { id, all };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var one = parse.GetValue(id);
            if (one is null == !parse.GetValue(all)) throw new UserErrorException("give either a queue id or --all");
            if (one is not null) await FindAsync(ctx, one, ct);
            var n = await ctx.Get<IQueueStore>().RetryNowAsync(one?.Trim(), DateTimeOffset.UtcNow, ct);
            Console.WriteLine($"{n} recipient(s) scheduled for immediate retry");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var id = QueueIdArgument();
        var command = new Command("remove", "Delete a queued message without sending it or any bounce") { id };
        command.WithContext(async (ctx, parse, ct) =>
        {
            var entry = await FindAsync(ctx, parse.GetValue(id)!, ct);
            if (!await ctx.Get<IQueueStore>().RemoveAsync(entry.Message.Id, ct)) throw new UserErrorException($"{entry.Message.Id} is no longer queued");
            await ctx.AuditAsync("queue.remove", entry.Message.Id, ct, new Dictionary<string, string>
            {
                ["sender"] = entry.Message.Envelope.MailFrom,
                ["recipients"] = string.Join(',', entry.Recipients.Select(r => r.Address)),
            });
            Console.WriteLine($"removed {entry.Message.Id}");
            return 0;
        });
        return command;
    }

    private static Argument<string> QueueIdArgument() => new("id") { Description = "Queue id, as shown by 'vigil queue list'" };

    private static async Task<QueueEntry> FindAsync(CliContext ctx, string id, CancellationToken ct)
    {
        var trimmed = id.Trim();
        if (!QueueIds.IsWellFormed(trimmed)) throw new UserErrorException($"'{id}' is not a queue id");
        return await ctx.Get<IQueueStore>().GetAsync(trimmed, ct) ?? throw new UserErrorException($"no such queued message: {trimmed}");
    }

    private static string RecipientLine(QueueRecipient r)
    {
        var p = r.Progress;
        var line = new StringBuilder($"<{r.Address}> {p.State.ToString().ToLowerInvariant()} attempts={p.Attempts.ToString(CultureInfo.InvariantCulture)}");
        if (p.State == RecipientState.Pending) line.Append(" next=").Append(Time(p.NextAttempt));
        if (p.RemoteMta is not null) line.Append(" relay=").Append(p.RemoteMta);
        if (p.Status is not null) line.Append(" status=").Append(p.Status);
        if (p.Notice is not null) line.Append(" dsn-owed=").Append(p.Notice.Value.ToString().ToLowerInvariant());
        if (p.LastError is not null) line.Append(" last=\"").Append(p.LastError).Append('"');
        return line.ToString();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
