using MailKit;
using MailKit.Search;
using MimeKit;
using Vigil.Interop.Tests.Infrastructure;
using static Vigil.Interop.Tests.Imap.ImapInterop;

namespace Vigil.Interop.Tests.Imap;

/// <summary>Every SEARCH criterion of RFC 3501/9051 as MailKit's ImapClient sends it (UID SEARCH,
/// CHARSET UTF-8 when a string is not ASCII), against three appended messages whose headers, dates,
/// sizes, flags and keywords differ (issue 3 §6, checklist in docs/imap.md).</summary>
public sealed class MailKitSearchTests
{
    [Fact]
    public async Task Every_search_criterion()
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("sam");
        using var client = await ConnectAsync(server, "sam");
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        var report = Message("Quarterly report", "The numbers are inside, café.", "alice@a.test");
        report.To.Clear();
        report.To.Add(MailboxAddress.Parse("bob@b.test"));
        report.Cc.Add(MailboxAddress.Parse("carol@c.test"));
        report.Headers.Add("X-Custom", "tracking value");
        report.Date = new DateTimeOffset(2020, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var lunch = Message("Lunch", "Pizza at noon? " + new string('-', 2000), "dave@d.test");
        lunch.Bcc.Add(MailboxAddress.Parse("frank@f.test"));
        lunch.Date = new DateTimeOffset(2021, 5, 5, 12, 0, 0, TimeSpan.Zero);
        var greeting = Message("Grüße aus Köln", "Viele Grüße aus der Straße.", "alice@a.test");
        greeting.Date = new DateTimeOffset(2022, 7, 7, 12, 0, 0, TimeSpan.Zero);
        await inbox.AppendAsync(new AppendRequest(report)
        {
            Flags = MessageFlags.Seen | MessageFlags.Answered,
            Keywords = new HashSet<string> { "$Work" },
            InternalDate = new DateTimeOffset(2020, 3, 2, 12, 0, 0, TimeSpan.Zero),
        });
        await inbox.AppendAsync(new AppendRequest(lunch) { Flags = MessageFlags.Flagged | MessageFlags.Draft, InternalDate = new DateTimeOffset(2021, 5, 6, 12, 0, 0, TimeSpan.Zero) });
        await inbox.AppendAsync(new AppendRequest(greeting) { Flags = MessageFlags.Deleted });
        await inbox.CheckAsync();

        async Task<uint[]> Uids(SearchQuery q) => (await inbox.SearchAsync(q)).Select(u => u.Id).ToArray();
        var cases = new (SearchQuery Query, uint[] Expected)[]
        {
            (SearchQuery.All, [1, 2, 3]),
            (SearchQuery.Answered, [1]),
            (SearchQuery.NotAnswered, [2, 3]),
            (SearchQuery.BccContains("frank"), [2]),
            (SearchQuery.CcContains("CAROL"), [1]),
            (SearchQuery.ToContains("bob@b"), [1]),
            (SearchQuery.FromContains("alice"), [1, 3]),
            (SearchQuery.SubjectContains("grüße"), [3]),
            (SearchQuery.SubjectContains("report"), [1]),
            (SearchQuery.HeaderContains("X-Custom", "TRACKING"), [1]),
            (SearchQuery.BodyContains("café"), [1]),
            (SearchQuery.BodyContains("straße"), [3]),
            (SearchQuery.BodyContains("pizza"), [2]),
            (SearchQuery.MessageContains("quarterly"), [1]),
            (SearchQuery.MessageContains("noon"), [2]),
            (SearchQuery.Deleted, [3]),
            (SearchQuery.NotDeleted, [1, 2]),
            (SearchQuery.Draft, [2]),
            (SearchQuery.NotDraft, [1, 3]),
            (SearchQuery.Flagged, [2]),
            (SearchQuery.NotFlagged, [1, 3]),
            (SearchQuery.Seen, [1]),
            (SearchQuery.NotSeen, [2, 3]),
            (SearchQuery.HasKeyword("$Work"), [1]),
            (SearchQuery.NotKeyword("$Work"), [2, 3]),
            (SearchQuery.LargerThan(1500), [2]),
            (SearchQuery.SmallerThan(1500), [1, 3]),
            (SearchQuery.DeliveredBefore(new DateTime(2021, 1, 1)), [1]),
            (SearchQuery.DeliveredOn(new DateTime(2021, 5, 6)), [2]),
            (SearchQuery.DeliveredAfter(new DateTime(2021, 5, 6)), [2, 3]),
            (SearchQuery.SentBefore(new DateTime(2021, 1, 1)), [1]),
            (SearchQuery.SentOn(new DateTime(2021, 5, 5)), [2]),
            (SearchQuery.SentSince(new DateTime(2021, 5, 5)), [2, 3]),
            (SearchQuery.Uids([new UniqueId(2), new UniqueId(7)]), [2]),
            (SearchQuery.Not(SearchQuery.FromContains("alice")), [2]),
            (SearchQuery.Or(SearchQuery.Flagged, SearchQuery.Deleted), [2, 3]),
            (SearchQuery.FromContains("alice").And(SearchQuery.Not(SearchQuery.Or(SearchQuery.Deleted, SearchQuery.Draft))), [1]),
            (SearchQuery.YoungerThan(3600), [3]),
            (SearchQuery.OlderThan(3600), [1, 2]),
        };
        foreach (var (query, expected) in cases)
        {
            var actual = await Uids(query);
            Assert.True(expected.AsEnumerable().SequenceEqual(actual), $"{query}: expected {string.Join(' ', expected)}, got {string.Join(' ', actual)}");
        }

        // \Recent, NEW and OLD agree with each other (RFC 3501 §6.4.4): NEW is RECENT UNSEEN, OLD is NOT RECENT.
        var recent = await Uids(SearchQuery.Recent);
        Assert.Equal(recent.Intersect([2u, 3u]), await Uids(SearchQuery.New));
        Assert.Equal(new uint[] { 1, 2, 3 }.Except(recent), await Uids(SearchQuery.Old));
        Assert.Equal(recent, await Uids(SearchQuery.Not(SearchQuery.Old)));

        // SORT=DISPLAY (RFC 5957): by display name, else the mailbox; then by arrival.
        Assert.Equal([1u, 3u, 2u], (await inbox.SortAsync(SearchQuery.All, [OrderBy.DisplayFrom])).Select(u => u.Id));
        await client.DisconnectAsync(true);
    }
}
