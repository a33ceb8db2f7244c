namespace Vigil.Protocols.Imap.Tests.Session;

/// <summary>Replays every file in Transcripts/ against a fresh server.</summary>
public sealed class TranscriptTests
{
    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts"), "*.txt").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public Task Replays(string file) => Transcript.RunAsync(Path.Combine(AppContext.BaseDirectory, "Transcripts", file));
}
