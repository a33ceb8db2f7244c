using Vigil.Core.Indexing;

namespace Vigil.Protocols.Imap.Protocol.Writing;

/// <summary>Writes BODY and BODYSTRUCTURE (RFC 9051 §7.5.2). BODYSTRUCTURE carries the extension
/// data: MD5, disposition, language and location for single parts; parameters, disposition,
/// language and location for multiparts.</summary>
public static class BodyStructureFormatter
{
    /// <summary>A multipart with no parts (broken MIME) still needs one body in the grammar; like
    /// other servers we show an empty text/plain part.</summary>
    private static readonly BodyPart EmptyPart = new("text", "plain", [new("charset", "us-ascii")], null, null, "7bit", null, null, null, null, null, 0, 0, 0, 0);

    private static readonly EnvelopeData EmptyEnvelope = new(null, null, null, null, null, null, null, null, null, null, null);

    public static void Write(ImapResponseWriter w, BodyPart part, bool extended, int depth = 0)
    {
        if (part.IsMultipart)
        {
            w.Open();
            var parts = part.Parts.Count == 0 ? [EmptyPart] : part.Parts;
            foreach (var child in parts) Write(w, child, extended, depth + 1);
            w.Sp().String(part.Subtype);
            if (extended)
            {
                w.Sp();
                Parameters(w, part.Parameters).Sp();
                Disposition(w, part).Sp();
                Language(w, part.Language).Sp();
                w.NString(part.Location);
            }
            w.Close();
            return;
        }
        w.Open();
        w.String(part.Type).Sp().String(part.Subtype).Sp();
        Parameters(w, part.Parameters).Sp();
        w.NString(part.Id).Sp();
        w.NString(part.Description).Sp();
        w.String(part.Encoding ?? "7bit").Sp();
        w.Number(part.Size);
        if (part.IsMessage || IsMessageType(part))
        {
            // RFC 9051 §7.5.2 (body-type-msg): "MESSAGE" "RFC822" (or "GLOBAL") is always followed
            // by an envelope, a body and a line count, and strict parsers expect them. A message
            // part whose content could not be parsed as a message (e.g. one sent base64-encoded)
            // shows an empty envelope and an empty text/plain body, as Dovecot does for an empty one.
            w.Sp();
            EnvelopeFormatter.Write(w, part.MessageEnvelope ?? EmptyEnvelope);
            w.Sp();
            Write(w, part.MessageBody ?? EmptyPart, extended, depth + 1);
            w.Sp().Number(part.Lines);
        }
        else if (part.IsText)
        {
            w.Sp().Number(part.Lines);
        }
        if (extended)
        {
            w.Sp().NString(part.Md5).Sp();
            Disposition(w, part).Sp();
            Language(w, part.Language).Sp();
            w.NString(part.Location);
        }
        w.Close();
    }

    private static bool IsMessageType(BodyPart part) =>
        part.Type.Equals("message", StringComparison.OrdinalIgnoreCase)
        && (part.Subtype.Equals("rfc822", StringComparison.OrdinalIgnoreCase) || part.Subtype.Equals("global", StringComparison.OrdinalIgnoreCase));

    private static ImapResponseWriter Parameters(ImapResponseWriter w, IReadOnlyList<BodyParameter>? parameters)
    {
        if (parameters is null || parameters.Count == 0) return w.Nil();
        w.Open();
        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0) w.Sp();
            w.String(parameters[i].Name).Sp().String(parameters[i].Value);
        }
        return w.Close();
    }

    private static ImapResponseWriter Disposition(ImapResponseWriter w, BodyPart part)
    {
        if (part.Disposition is null) return w.Nil();
        w.Open().String(part.Disposition).Sp();
        Parameters(w, part.DispositionParameters);
        return w.Close();
    }

    private static ImapResponseWriter Language(ImapResponseWriter w, IReadOnlyList<string>? languages)
    {
        if (languages is null || languages.Count == 0) return w.Nil();
        if (languages.Count == 1) return w.String(languages[0]);
        w.Open();
        for (var i = 0; i < languages.Count; i++)
        {
            if (i > 0) w.Sp();
            w.String(languages[i]);
        }
        return w.Close();
    }
}
