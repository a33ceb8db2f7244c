using System.Globalization;
using Vigil.Bench.Messages;

namespace Vigil.Bench.Store;

/// <summary>Writes generated messages straight into a Maildir's cur/ (for the Dovecot side of the
/// IMAP workloads: what a delivery agent would have left there). Not measured.</summary>
public static class MaildirWriter
{
    public static void Fill(string maildir, string user, int count, SizeMix sizes, string idPrefix)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" }) Directory.CreateDirectory(Path.Combine(maildir, sub));
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - count;
        var date = DateTimeOffset.UtcNow.AddDays(-1);
        for (var i = 0; i < count; i++)
        {
            var id = $"{idPrefix}{i:D7}";
            var bytes = MessageFactory.Create(id, "fill@remote.test", user, sizes.SizeOf(i), date.AddSeconds(i));
            var name = string.Create(CultureInfo.InvariantCulture, $"{epoch + i}.M{i}P1.bench,S={bytes.Length}:2,");
            File.WriteAllBytes(Path.Combine(maildir, "cur", name), bytes);
        }
    }
}
