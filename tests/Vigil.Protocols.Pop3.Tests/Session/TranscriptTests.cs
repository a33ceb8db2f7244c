using Vigil.Protocols.Pop3.Tests.Support;

namespace Vigil.Protocols.Pop3.Tests.Session;

/// <summary>Every file in Transcripts/ is one recorded conversation replayed byte for byte
/// against a real session (see <see cref="TranscriptRunner"/> for the format).</summary>
public sealed class TranscriptTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.txt").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public Task Replay(string file) => TranscriptRunner.RunAsync(Path.Combine(AppContext.BaseDirectory, "Transcripts", file));
}
