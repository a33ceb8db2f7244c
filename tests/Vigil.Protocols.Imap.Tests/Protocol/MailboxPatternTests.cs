using System.Diagnostics;
using Vigil.Protocols.Imap.Protocol.Mailboxes;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class MailboxPatternTests
{
    [Theory]
    [InlineData("INBOX", "*", true)]
    [InlineData("Work/Q3", "*", true)]
    [InlineData("Work/Q3", "%", false)]
    [InlineData("Work", "%", true)]
    [InlineData("Work/Q3", "Work/%", true)]
    [InlineData("Work/Q3/x", "Work/%", false)]
    [InlineData("Work/Q3/x", "Work/*", true)]
    [InlineData("Work/Q3/x", "W%/Q%/%", true)]
    [InlineData("Work/Q3/x", "%*x", true)]
    [InlineData("Work/Q3/x", "*%%x", true)]
    [InlineData("Work", "Wor", false)]
    [InlineData("Work", "Work%", true)]
    [InlineData("inbox/Sub", "INBOX/%", true)]
    [InlineData("Inboxes", "INBOX*", false)]
    [InlineData("abcabc", "*b*b*", true)]
    [InlineData("abcabc", "*b*b*b*", false)]
    public void Matches_like_rfc_9051(string name, string pattern, bool expected) => Assert.Equal(expected, MailboxPattern.IsMatch(name, pattern));

    [Fact]
    public void Many_wildcards_match_and_cost_little()
    {
        // RFC 9051 §6.3.9 puts no limit on wildcards; backtracking took 19 s for six "*a" against a
        // 60-character name (live server), and gave up (no match) beyond 32 wildcards.
        var name = new string('a', 512);
        var watch = Stopwatch.StartNew();
        Assert.False(MailboxPattern.IsMatch(name, string.Concat(Enumerable.Repeat("*a", 200)) + "*b"));
        Assert.True(MailboxPattern.IsMatch(name, string.Concat(Enumerable.Repeat("%a", 200)) + "*"));
        Assert.True(MailboxPattern.IsMatch("x", new string('*', 1000) + "x" + new string('%', 1000)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }
}
