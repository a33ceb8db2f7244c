using System.Buffers;
using System.Text;
using Vigil.Core.Addressing;
using Vigil.Net.Sasl;
using Vigil.Protocols.Smtp.Protocol;

namespace Vigil.Fuzz.Tests;

/// <summary>The SMTP parsers: command line, paths and ESMTP parameters, the DATA decoder, SASL.</summary>
public sealed class SmtpFuzzTests
{
    private static readonly IReadOnlyList<byte[]> Dictionary = MutationFuzzer.Tokens(
        "HELO ", "EHLO ", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT ", " LAST", "AUTH PLAIN ", "STARTTLS", "<", ">", "<>", "@", "\"", "\\",
        "SIZE=", "BODY=8BITMIME", "BODY=BINARYMIME", "SMTPUTF8", "RET=FULL", "ENVID=", "NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;", "AUTH=<>",
        "+2B", "@a,@b:", "[IPv6:::1]", "[127.0.0.1]", "postmaster", "\r\n", "\r\n.\r\n", "\n.\n", "é", "\u0435");

    [Fact]
    public void Command_parser_survives_anything()
    {
        FuzzRunner.Run("smtp-command", Dictionary, input =>
        {
            var result = SmtpCommandParser.Parse(input);
            Assert.True(result.Command is null != (result.Error is null), "exactly one of command and error");
        });
    }

    [Fact]
    public void Path_and_parameter_parsers_survive_anything()
    {
        FuzzRunner.Run("smtp-path", Dictionary, input =>
        {
            var text = Encoding.UTF8.GetString(input);
            foreach (var (keyword, allowNull) in new[] { ("FROM:", true), ("TO:", false) })
            {
                if (!SmtpPathParser.TryParse(text, keyword, allowNull, out var path, out var raw, out var error))
                {
                    Assert.False(string.IsNullOrEmpty(error));
                    continue;
                }
                Assert.False(path.IsNull && !allowNull);
                MailParameters.TryParse(raw, out _, out _);
                RcptParameters.TryParse(raw, out _, out _);
                // Whatever the parser accepts, the address core must take or refuse cleanly.
                if (EmailAddress.TryParse(path.Address, out var address)) Assert.DoesNotContain('@', address.Domain);
            }
            XText.TryDecode(text, out _);
        });
    }

    [Fact]
    public void Data_decoder_gives_the_same_result_however_the_input_is_split()
    {
        var splits = new Random(FuzzRunner.Seed("smtp-data-splits"));
        FuzzRunner.Run("smtp-data", Dictionary, input =>
        {
            var whole = Decode(input, [input.Length]);
            var cuts = new List<int>();
            for (var rest = input.Length; rest > 0;)
            {
                var n = Math.Min(rest, 1 + splits.Next(Math.Max(1, Math.Min(rest, 64))));
                cuts.Add(n);
                rest -= n;
            }
            var pieces = Decode(input, cuts);
            Assert.Equal(whole.Consumed, pieces.Consumed);
            Assert.Equal(whole.Completed, pieces.Completed);
            Assert.Equal(whole.Flags, pieces.Flags);
            Assert.True(whole.Output.AsSpan().SequenceEqual(pieces.Output), "output differs when split");
            Assert.True(whole.Output.Length <= input.Length, "the decoder never adds bytes");
            if (whole.Completed) Assert.True(input.AsSpan(0, whole.Consumed).EndsWith("\r\n.\r\n"u8) || whole.Consumed == 3 && input.AsSpan().StartsWith(".\r\n"u8));
        });
    }

    private static (byte[] Output, int Consumed, bool Completed, (bool, bool) Flags) Decode(byte[] input, List<int> cuts)
    {
        var decoder = new DataDecoder();
        var output = new ArrayBufferWriter<byte>();
        var offset = 0;
        foreach (var n in cuts)
        {
            // Until the end of data is found, the decoder takes every byte it is given.
            var consumed = decoder.Decode(input.AsSpan(offset, n), output);
            Assert.True(decoder.Completed || consumed == n, "bytes left behind before the end of data");
            offset += consumed;
            if (decoder.Completed) break;
        }
        return (output.WrittenSpan.ToArray(), offset, decoder.Completed, (decoder.BareLineEnding, decoder.LineTooLong));
    }

    [Fact]
    public void Sasl_decoder_survives_anything()
    {
        FuzzRunner.Run("sasl", Dictionary, input =>
        {
            var text = Encoding.Latin1.GetString(input);
            if (SaslDecoder.TryDecodePlain(text, out var user, out _)) Assert.NotEmpty(user);
            SaslDecoder.TryBase64(text, out _);
            SaslDecoder.TryDecodePlain(Convert.ToBase64String(input), out _, out _);
        });
    }
}
