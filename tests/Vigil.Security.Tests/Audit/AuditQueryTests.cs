using Vigil.Security.Audit;

namespace Vigil.Security.Tests.Audit;

public sealed class AuditQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    private static AuditRecord Record(string actor, string action, DateTimeOffset time) =>
        new(1, time, actor, "cli", action, "t", new Dictionary<string, string>(), "{}");

    [Theory]
    [InlineData("30m", "2026-01-15T11:30:00Z")]
    [InlineData("6h", "2026-01-15T06:00:00Z")]
    [InlineData("7d", "2026-01-08T12:00:00Z")]
    [InlineData("2026-01-10", "2026-01-10T00:00:00Z")]
    [InlineData("2026-01-10T08:15:00+01:00", "2026-01-10T07:15:00Z")]
    public void Since_accepts_times_and_ages(string text, string expected)
    {
        Assert.True(AuditQuery.TryParseSince(text, Now, out var since));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("5x")]
    [InlineData("")]
    public void Since_rejects_nonsense(string text) => Assert.False(AuditQuery.TryParseSince(text, Now, out _));

    [Fact]
    public void Filters_combine()
    {
        var q = new AuditQuery(Now.AddHours(-1), "cli:root", "user.");
        Assert.True(q.Matches(Record("CLI:root", "user.add", Now)));
        Assert.False(q.Matches(Record("cli:root", "user.add", Now.AddHours(-2))));
        Assert.False(q.Matches(Record("other", "user.add", Now)));
        Assert.False(q.Matches(Record("cli:root", "lockdown.on", Now)));
        Assert.True(new AuditQuery(Action: "lockdown.on").Matches(Record("x", "lockdown.on", Now)));
        Assert.False(new AuditQuery(Action: "lockdown").Matches(Record("x", "lockdown.on", Now)));
        Assert.True(new AuditQuery(Action: "lock*").Matches(Record("x", "lockdown.on", Now)));
    }
}
