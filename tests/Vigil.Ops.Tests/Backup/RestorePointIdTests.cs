using Vigil.Ops.Backup.Format;

namespace Vigil.Ops.Tests.Backup;

public class RestorePointIdTests
{
    [Theory]
    [InlineData("20260115T140000Z")]
    [InlineData("20260115T140000Z-2")]
    public void Accepts_its_own_shape(string value) => Assert.True(RestorePointId.TryParse(value, out _));

    [Theory]
    [InlineData("../etc")]
    [InlineData("20260115T140000Z/../../x")]
    [InlineData("20261315T140000Z")]
    [InlineData("20260115T140000")]
    [InlineData("20260115T140000Z-0")]
    [InlineData("")]
    public void Refuses_anything_else_so_no_input_reaches_a_path(string value) => Assert.False(RestorePointId.TryParse(value, out _));

    [Fact]
    public void Orders_by_time_then_sequence()
    {
        var t = new DateTimeOffset(2026, 1, 15, 14, 0, 0, TimeSpan.Zero);
        var ids = new[] { RestorePointId.For(t, 10), RestorePointId.For(t.AddSeconds(1)), RestorePointId.For(t), RestorePointId.For(t, 2) };
        Assert.Equal(["20260115T140000Z", "20260115T140000Z-2", "20260115T140000Z-10", "20260115T140001Z"], ids.Order().Select(i => i.Value));
    }

    [Theory]
    [InlineData("blobs/../x")]
    [InlineData("/etc/passwd")]
    [InlineData("points//x")]
    [InlineData(".incoming/x")]
    public void Target_paths_refuse_traversal(string path) => Assert.Throws<ArgumentException>(() => TargetPaths.EnsureValid(path));
}
