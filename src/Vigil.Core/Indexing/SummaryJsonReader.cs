using System.Text.Json;

namespace Vigil.Core.Indexing;

/// <summary>Reads the stored JSON of a <see cref="MessageSummary"/> (the shape
/// <see cref="SummaryJson.Serialize"/> writes) with one forward pass of a
/// <see cref="Utf8JsonReader"/>. FETCH 1:* (ENVELOPE) of 100,000 messages reads 100,000 summaries:
/// the generated System.Text.Json reader for these records (constructors of up to 15 parameters)
/// spent more time and allocated more per summary than everything else FETCH does (issue 7,
/// measured with dotnet-trace). Unknown properties are skipped, so older or newer rows still read.</summary>
internal static class SummaryJsonReader
{
    public static MessageSummary Read(ReadOnlySpan<byte> utf8)
    {
        var r = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 4 * Messages.MimeLimits.MaxDepth + 64 });
        Next(ref r);
        if (r.TokenType != JsonTokenType.StartObject) throw new JsonException("A message summary must be a JSON object.");
        EnvelopeData? envelope = null;
        BodyPart? body = null;
        DateTimeOffset? sentDate = null;
        IReadOnlyList<string> references = [];
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("envelope"u8)) envelope = Envelope(ref r);
            else if (r.ValueTextEquals("body"u8)) body = Body(ref r);
            else if (r.ValueTextEquals("sentDate"u8))
            {
                Next(ref r);
                if (r.TokenType == JsonTokenType.Null) sentDate = null;
                else if (r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var d)) sentDate = d;
                else throw new JsonException("sentDate must be an ISO 8601 date.");
            }
            else if (r.ValueTextEquals("references"u8)) references = Strings(ref r) ?? [];
            else Skip(ref r);
        }
        if (envelope is null || body is null) throw new JsonException("A message summary needs an envelope and a body.");
        return new MessageSummary(envelope, body) { SentDate = sentDate, References = references };
    }

    private static EnvelopeData? Envelope(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.StartObject);
        string? date = null, subject = null, subjectText = null, inReplyTo = null, messageId = null;
        IReadOnlyList<EnvelopeAddress>? from = null, sender = null, replyTo = null, to = null, cc = null, bcc = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("date"u8)) date = String(ref r);
            else if (r.ValueTextEquals("subject"u8)) subject = String(ref r);
            else if (r.ValueTextEquals("subjectText"u8)) subjectText = String(ref r);
            else if (r.ValueTextEquals("from"u8)) from = Addresses(ref r);
            else if (r.ValueTextEquals("sender"u8)) sender = Addresses(ref r);
            else if (r.ValueTextEquals("replyTo"u8)) replyTo = Addresses(ref r);
            else if (r.ValueTextEquals("to"u8)) to = Addresses(ref r);
            else if (r.ValueTextEquals("cc"u8)) cc = Addresses(ref r);
            else if (r.ValueTextEquals("bcc"u8)) bcc = Addresses(ref r);
            else if (r.ValueTextEquals("inReplyTo"u8)) inReplyTo = String(ref r);
            else if (r.ValueTextEquals("messageId"u8)) messageId = String(ref r);
            else Skip(ref r);
        }
        return new EnvelopeData(date, subject, subjectText, from, sender, replyTo, to, cc, bcc, inReplyTo, messageId);
    }

    private static List<EnvelopeAddress>? Addresses(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.StartArray);
        var list = new List<EnvelopeAddress>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) return list;
            Expect(ref r, JsonTokenType.StartObject);
            string? name = null, route = null, mailbox = null, host = null;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("name"u8)) name = String(ref r);
                else if (r.ValueTextEquals("route"u8)) route = String(ref r);
                else if (r.ValueTextEquals("mailbox"u8)) mailbox = String(ref r);
                else if (r.ValueTextEquals("host"u8)) host = String(ref r);
                else Skip(ref r);
            }
            list.Add(new EnvelopeAddress(name, route, mailbox, host));
        }
    }

    private static BodyPart? Body(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.StartObject);
        string? type = null, subtype = null, id = null, description = null, encoding = null, md5 = null, disposition = null, location = null;
        IReadOnlyList<BodyParameter>? parameters = null, dispositionParameters = null;
        IReadOnlyList<string>? language = null;
        long headerOffset = 0, bodyOffset = 0, bodyEnd = 0, lines = 0;
        IReadOnlyList<BodyPart> parts = [];
        EnvelopeData? messageEnvelope = null;
        BodyPart? messageBody = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("type"u8)) type = String(ref r);
            else if (r.ValueTextEquals("subtype"u8)) subtype = String(ref r);
            else if (r.ValueTextEquals("parameters"u8)) parameters = Parameters(ref r);
            else if (r.ValueTextEquals("id"u8)) id = String(ref r);
            else if (r.ValueTextEquals("description"u8)) description = String(ref r);
            else if (r.ValueTextEquals("encoding"u8)) encoding = String(ref r);
            else if (r.ValueTextEquals("md5"u8)) md5 = String(ref r);
            else if (r.ValueTextEquals("disposition"u8)) disposition = String(ref r);
            else if (r.ValueTextEquals("dispositionParameters"u8)) dispositionParameters = Parameters(ref r);
            else if (r.ValueTextEquals("language"u8)) language = Strings(ref r);
            else if (r.ValueTextEquals("location"u8)) location = String(ref r);
            else if (r.ValueTextEquals("headerOffset"u8)) headerOffset = Int64(ref r);
            else if (r.ValueTextEquals("bodyOffset"u8)) bodyOffset = Int64(ref r);
            else if (r.ValueTextEquals("bodyEnd"u8)) bodyEnd = Int64(ref r);
            else if (r.ValueTextEquals("lines"u8)) lines = Int64(ref r);
            else if (r.ValueTextEquals("parts"u8)) parts = Parts(ref r);
            else if (r.ValueTextEquals("messageEnvelope"u8)) messageEnvelope = Envelope(ref r);
            else if (r.ValueTextEquals("messageBody"u8)) messageBody = Body(ref r);
            else Skip(ref r);
        }
        if (type is null || subtype is null) throw new JsonException("A body part needs a type and a subtype.");
        return new BodyPart(type, subtype, parameters ?? [], id, description, encoding, md5, disposition, dispositionParameters, language, location,
            headerOffset, bodyOffset, bodyEnd, lines)
        {
            Parts = parts,
            MessageEnvelope = messageEnvelope,
            MessageBody = messageBody,
        };
    }

    private static IReadOnlyList<BodyPart> Parts(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return [];
        Expect(ref r, JsonTokenType.StartArray);
        var list = new List<BodyPart>();
        while (true)
        {
            // Each element is read by Body, which reads its own first token: peek by cloning.
            var peek = r;
            Next(ref peek);
            if (peek.TokenType == JsonTokenType.EndArray)
            {
                r = peek;
                return list;
            }
            list.Add(Body(ref r) ?? throw new JsonException("A body part may not be null."));
        }
    }

    private static List<BodyParameter>? Parameters(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.StartArray);
        var list = new List<BodyParameter>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) return list;
            Expect(ref r, JsonTokenType.StartObject);
            string? name = null, value = null;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("name"u8)) name = String(ref r);
                else if (r.ValueTextEquals("value"u8)) value = String(ref r);
                else Skip(ref r);
            }
            list.Add(new BodyParameter(name ?? throw new JsonException("A parameter needs a name."), value ?? throw new JsonException("A parameter needs a value.")));
        }
    }

    private static List<string>? Strings(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.StartArray);
        var list = new List<string>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) return list;
            Expect(ref r, JsonTokenType.String);
            list.Add(r.GetString()!);
        }
    }

    private static string? String(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.Null) return null;
        Expect(ref r, JsonTokenType.String);
        return r.GetString();
    }

    private static long Int64(ref Utf8JsonReader r)
    {
        Next(ref r);
        Expect(ref r, JsonTokenType.Number);
        return r.TryGetInt64(out var value) ? value : throw new JsonException("A number in a message summary is out of range.");
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader r)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject) return false;
        Expect(ref r, JsonTokenType.PropertyName);
        return true;
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        Next(ref r);
        r.Skip();
    }

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("Truncated message summary.");
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (r.TokenType != type) throw new JsonException($"Expected {type} in a message summary, found {r.TokenType}.");
    }
}
