using System.CommandLine;
using System.Globalization;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Host.Cli;

/// <summary><c>vigil message list ADDRESS [--mailbox NAME]</c>: UID, size, internal date, subject.</summary>
public static class MessageCommands
{
    public static Command Create()
    {
        var group = new Command("message", "Inspect stored messages");
        var address = new Argument<string>("address");
        var mailbox = new Option<string>("--mailbox") { DefaultValueFactory = _ => Mailbox.Inbox };
        var list = new Command("list", "One line per message: UID, size, internal date, subject") { address, mailbox };
        list.WithContext(async (ctx, parse, ct) =>
        {
            var account = await UserCommands.FindAsync(ctx, parse.GetValue(address)!, ct);
            var store = ctx.Get<IMessageStore>();
            var name = parse.GetValue(mailbox)!;
            var box = await store.GetMailboxAsync(account.Id, name.Equals(Mailbox.Inbox, StringComparison.OrdinalIgnoreCase) ? Mailbox.Inbox : name, ct)
                ?? throw new UserErrorException($"{account.Address} has no mailbox '{name}'");
            foreach (var m in await store.ListMessagesAsync(account.Id, box.Id, ct))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{m.Uid}\t{m.Size}\t{m.InternalDate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\t{Clean(m.Subject)}"));
            }
            return 0;
        });
        group.Subcommands.Add(list);
        return group;
    }

    // Subjects are attacker-controlled: never let one write terminal control sequences.
    private static string Clean(string? s) => s is null ? "(no subject)" : new string(s.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
