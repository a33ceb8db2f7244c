using System.Text;
using Vigil.Ops.Advisories;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Advisories;

public class AdvisoryFeedJsonTests
{
    [Fact]
    public void Written_feed_reads_back_identically()
    {
        var feed = new AdvisoryFeed(7, FeedMaker.Published,
        [
            FeedMaker.Advisory("VSA-2026-0001", AdvisorySeverity.Critical, 1, 40),
            new Advisory("VSA-2026-0002", AdvisorySeverity.Low, 10, 12, null, "no fix yet", FeedMaker.Published),
        ]);
        Assert.True(AdvisoryFeedJson.TryParse(AdvisoryFeedJson.Write(feed), out var read, out var error), error);
        Assert.Equal(7, read.Serial);
        Assert.Equal(feed.Advisories, read.Advisories);
    }

    [Fact]
    public void Unknown_fields_are_ignored_so_old_builds_can_read_newer_feeds()
    {
        var json = """
            {"product":"vigil","serial":3,"published":"2026-01-15T09:00:00Z","futureField":{"x":1},
             "advisories":[{"id":"VSA-1","severity":"high","affectedFrom":1,"affectedTo":5,"fixedIn":6,
                            "summary":"s","published":"2026-01-15T09:00:00Z","cvss":9.8}]}
            """;
        Assert.True(AdvisoryFeedJson.TryParse(Encoding.UTF8.GetBytes(json), out var feed, out var error), error);
        Assert.True(feed.Advisories[0].Names(5));
        Assert.False(feed.Advisories[0].Names(6));
    }

    [Theory]
    [InlineData("""{"serial":1,"published":"2026-01-15T09:00:00Z","advisories":[]}""", "product")]
    [InlineData("""{"product":"other","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[]}""", "product")]
    [InlineData("""{"product":"vigil","serial":0,"published":"2026-01-15T09:00:00Z","advisories":[]}""", "serial")]
    [InlineData("""{"product":"vigil","serial":1,"published":"yesterday","advisories":[]}""", "published")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"A","severity":"urgent","affectedFrom":1,"affectedTo":2,"summary":"s","published":"2026-01-15T09:00:00Z"}]}""", "severity")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"A","severity":"low","affectedFrom":5,"affectedTo":2,"summary":"s","published":"2026-01-15T09:00:00Z"}]}""", "range")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"A","severity":"low","affectedFrom":1,"affectedTo":2,"fixedIn":2,"summary":"s","published":"2026-01-15T09:00:00Z"}]}""", "fixedIn")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"../etc","severity":"low","affectedFrom":1,"affectedTo":2,"summary":"s","published":"2026-01-15T09:00:00Z"}]}""", "id")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"A","severity":"low","affectedFrom":1,"affectedTo":2,"summary":"line\u001b[31m","published":"2026-01-15T09:00:00Z"}]}""", "summary")]
    [InlineData("""{"product":"vigil","serial":1,"published":"2026-01-15T09:00:00Z","advisories":[{"id":"A","severity":"low","affectedFrom":1,"affectedTo":2,"summary":"s","published":"2026-01-15T09:00:00Z"},{"id":"A","severity":"low","affectedFrom":1,"affectedTo":2,"summary":"s","published":"2026-01-15T09:00:00Z"}]}""", "twice")]
    [InlineData("""[1,2,3]""", "object")]
    [InlineData("""{"product":"vigil",""", "JSON")]
    public void Invalid_feeds_are_refused_with_the_reason(string json, string reasonContains)
    {
        Assert.False(AdvisoryFeedJson.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(reasonContains, error, StringComparison.OrdinalIgnoreCase);
    }
}
