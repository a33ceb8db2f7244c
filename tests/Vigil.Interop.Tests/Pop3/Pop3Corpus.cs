using System.Text;

namespace Vigil.Interop.Tests.Pop3;

/// <summary>The messages the POP3 interop tests deliver over SMTP and fetch back: every fifth has
/// lines that begin with dots (".", "..", ".text"), every fifth an 8-bit body (UTF-8 and raw
/// Latin-1 octets), some are large, some have an empty body, and one (<see cref="NoFinalCrlf"/>)
/// ends without CRLF, which only BDAT can deliver. Each carries its number in X-Corpus-Seq.</summary>
public static class Pop3Corpus
{
    public const int Count = 1000;
    public const int NoFinalCrlf = 500;

    public static byte[] Message(int seq)
    {
        var b = new MemoryStream();
        void Line(string s) => b.Write(Encoding.UTF8.GetBytes(s + "\r\n"));
        Line("From: Sender <sender@remote.test>");
        Line("To: pop3 users <undisclosed@example.test>");
        Line($"Subject: corpus {seq}");
        Line($"Message-ID: <{seq}@corpus.test>");
        Line($"X-Corpus-Seq: {seq}");
        Line("MIME-Version: 1.0");
        Line("Content-Type: text/plain; charset=utf-8");
        Line("Content-Transfer-Encoding: 8bit");
        Line("");
        if (seq == NoFinalCrlf)
        {
            Line("The last line of this message is a dot line without CRLF.");
            b.Write(".final"u8);
            return b.ToArray();
        }
        switch (seq % 5)
        {
            case 0:
                foreach (var s in new[] { ".", "..", ".leading dot", "...", "..double", " .not leading", "end.", "." }) Line(s);
                break;
            case 1:
                Line("UTF-8: çà ✓ Ünïcödé 日本語 " + seq);
                b.Write(Enumerable.Range(0x80, 0x80).Select(x => (byte)x).ToArray()); // raw 8-bit octets, not UTF-8
                Line("");
                Line(".8bit line with a leading dot: é");
                break;
            case 2:
                for (var i = 0; i < 200; i++) Line($"{i:D4} " + new string((char)('a' + i % 26), 70));
                break;
            case 3:
                break; // header and blank line only
            default:
                Line($"Short body number {seq}.");
                break;
        }
        return b.ToArray();
    }

    /// <summary>Writes the corpus as files for smtp_bulk.py: NNNN.eml by DATA, NNNN.bdat by BDAT.</summary>
    public static void WriteFiles(string folder)
    {
        Directory.CreateDirectory(folder);
        for (var seq = 1; seq <= Count; seq++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{seq:D4}{(seq == NoFinalCrlf ? ".bdat" : ".eml")}"), Message(seq));
        }
    }

    /// <summary>The number in a message's X-Corpus-Seq header.</summary>
    public static int SeqOf(ReadOnlySpan<byte> message)
    {
        var text = Encoding.Latin1.GetString(message[..Math.Min(message.Length, 8192)]);
        var at = text.IndexOf("\nX-Corpus-Seq: ", StringComparison.Ordinal);
        if (at < 0) throw new InvalidDataException("no X-Corpus-Seq header");
        var start = at + "\nX-Corpus-Seq: ".Length;
        var end = text.IndexOfAny(['\r', '\n'], start);
        return int.Parse(text.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture);
    }
}
