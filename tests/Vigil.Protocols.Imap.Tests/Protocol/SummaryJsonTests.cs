using System.Text;
using System.Text.Json;
using Vigil.Core.Indexing;

namespace Vigil.Protocols.Imap.Tests.Protocol;

/// <summary>Stored summaries are written by System.Text.Json and read back by a hand-written
/// reader (SummaryJsonReader): every field written must come back, for every sample message and
/// for a summary that sets every field, and bad JSON must fail as JSON, not as something else.</summary>
public sealed class SummaryJsonTests
{
    public static TheoryData<string> Samples() =>
        new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Messages"), "*.eml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_summaries_read_back_field_for_field(string name)
    {
        var json = SummaryJson.Serialize(TestMessages.Summary(name));
        Assert.Equal(json, SummaryJson.Serialize(SummaryJson.Deserialize(json)));
        Assert.Equal(json, SummaryJson.Serialize(SummaryJson.Deserialize(Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Every_field_reads_back()
    {
        var group = new EnvelopeAddress(null, null, "team", null);
        var envelope = new EnvelopeData("Tue, 1 Jul 2025 10:00:00 +0200", "=?utf-8?q?R=C3=A9sum=C3=A9?=", "Résumé \"quoted\" \\ \u2603",
            [new EnvelopeAddress("Ann \"A\"", "@relay", "ann", "example.test")], [new EnvelopeAddress(null, null, "sec", "example.test")],
            [group, new EnvelopeAddress("Bo", null, "bo", "example.test"), EnvelopeAddress.GroupEnd], [], null,
            [new EnvelopeAddress(null, null, "hidden", "example.test")], "<parent@example.test>", "<self@example.test>");
        var inner = new BodyPart("text", "plain", [new BodyParameter("charset", "utf-8")], null, null, "base64", null, null, null, null, null, 10, 20, 30, 1);
        var attachment = new BodyPart("application", "pdf", [new BodyParameter("name", "a b.pdf")], "<id@x>", "A description", "base64", "bWQ1",
            "attachment", [new BodyParameter("filename", "a b.pdf"), new BodyParameter("size", "3")], ["en", "de"], "http://example.test/a", 40, 50, 60, 0);
        var message = new BodyPart("message", "rfc822", [], null, null, "7bit", null, null, null, null, null, 70, 80, 90, 2)
        {
            MessageEnvelope = envelope with { Subject = "inner" },
            MessageBody = inner,
        };
        var root = new BodyPart("multipart", "mixed", [new BodyParameter("boundary", "b1")], null, null, null, null, null, null, null, null, 0, 5, 100, 9)
        {
            Parts = [inner, attachment, message],
        };
        var summary = new MessageSummary(envelope, root)
        {
            SentDate = new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            References = ["<a@x>", "<parent@example.test>"],
        };
        var json = SummaryJson.Serialize(summary);
        var back = SummaryJson.Deserialize(json);
        Assert.Equal(json, SummaryJson.Serialize(back));
        Assert.Equal(summary.SentDate, back.SentDate);
        Assert.Equal("Résumé \"quoted\" \\ \u2603", back.Envelope.SubjectText);
        Assert.True(back.Envelope.ReplyTo![0].IsGroupStart);
        Assert.True(back.Envelope.ReplyTo[2].IsGroupEnd);
        Assert.Equal("inner", back.Body.Parts[2].MessageEnvelope!.Subject);
        Assert.Equal(["en", "de"], back.Body.Parts[1].Language!);
    }

    [Fact]
    public void Unknown_properties_are_skipped_and_optional_ones_default()
    {
        var json = """{"future":{"a":[1,{"b":null}]},"envelope":{"subject":"s","x":1},"body":{"type":"text","subtype":"plain","extra":[[]]}}""";
        var s = SummaryJson.Deserialize(json);
        Assert.Equal("s", s.Envelope.Subject);
        Assert.Null(s.Envelope.From);
        Assert.Empty(s.Body.Parameters);
        Assert.Empty(s.Body.Parts);
        Assert.Empty(s.References);
        Assert.Null(s.SentDate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"envelope\":{}}")]
    [InlineData("{\"envelope\":{},\"body\":{\"type\":\"text\"}}")]
    [InlineData("{\"envelope\":{},\"body\":{\"type\":\"text\",\"subtype\":\"plain\",\"lines\":\"x\"}}")]
    [InlineData("{\"envelope\":{\"from\":[{\"name\":\"a\"}")]
    [InlineData("{\"envelope\":{\"from\":{}},\"body\":{\"type\":\"text\",\"subtype\":\"plain\"}}")]
    public void Bad_json_fails_as_json(string json)
    {
        Assert.ThrowsAny<JsonException>(() => SummaryJson.Deserialize(json));
    }
}
