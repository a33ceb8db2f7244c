using Vigil.Interop.Tests.Infrastructure;

namespace Vigil.Interop.Tests.Smtp;

/// <summary>Replays every file in Transcripts/smtp against a fresh server with bob@example.test.</summary>
public sealed class SmtpTranscriptTests
{
    public static TheoryData<string> Files() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Transcripts", "smtp"), "*.txt").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Replays(string file)
    {
        await using var server = await TestServer.StartAsync();
        await server.AddUserAsync("bob");
        var path = Path.Combine(AppContext.BaseDirectory, "Transcripts", "smtp", file);
        await using var client = await RawClient.ConnectAsync(server.EndPoint(Transcript.Listener(path)));
        await Transcript.ReplayAsync(path, client);
    }
}
