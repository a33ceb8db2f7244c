using Vigil.Protocols.Imap.Protocol;

namespace Vigil.Protocols.Imap.Tests.Protocol;

public class ImapDateTimeTests
{
    [Fact]
    public void Formats_internal_date()
    {
        Assert.Equal("17-Jul-1996 02:44:25 -0700", ImapDateTime.Format(new DateTimeOffset(1996, 7, 17, 2, 44, 25, TimeSpan.FromHours(-7))));
        Assert.Equal("01-Jan-2025 00:00:00 +0530", ImapDateTime.Format(new DateTimeOffset(2025, 1, 1, 0, 0, 0, new TimeSpan(5, 30, 0))));
    }

    [Theory]
    [InlineData("17-Jul-1996 02:44:25 -0700", 1996, 7, 17, -7 * 60)]
    [InlineData(" 1-Feb-2000 10:00:00 +0000", 2000, 2, 1, 0)]
    [InlineData("01-feb-2000 10:00:00 +0130", 2000, 2, 1, 90)]
    public void Parses_date_time(string text, int y, int m, int d, int offsetMinutes)
    {
        Assert.True(ImapDateTime.TryParseDateTime(text, out var t));
        Assert.Equal((y, m, d), (t.Year, t.Month, t.Day));
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), t.Offset);
    }

    [Theory]
    [InlineData("17-Jul-1996 02:44:25")]
    [InlineData("32-Jul-1996 02:44:25 -0700")]
    [InlineData("17-Jux-1996 02:44:25 -0700")]
    [InlineData("17-Jul-1996 25:44:25 -0700")]
    [InlineData("1-Jul-1996 02:44:25 -0700")]
    [InlineData("30-Feb-1996 02:44:25 -0700")]
    public void Rejects_bad_date_time(string text) => Assert.False(ImapDateTime.TryParseDateTime(text, out _));

    [Theory]
    [InlineData("1-Feb-1994", 1994, 2, 1)]
    [InlineData("01-FEB-1994", 1994, 2, 1)]
    [InlineData("29-Feb-2024", 2024, 2, 29)]
    public void Parses_search_date(string text, int y, int m, int d)
    {
        Assert.True(ImapDateTime.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(y, m, d), date);
    }

    [Theory]
    [InlineData("29-Feb-2023")]
    [InlineData("1-Feb-94")]
    [InlineData("Feb-1-1994")]
    public void Rejects_bad_search_date(string text) => Assert.False(ImapDateTime.TryParseDate(text, out _));
}
