using System.Text;

namespace Vigil.Fuzz.Tests;

/// <summary>A seeded mutation fuzzer (no SharpFuzz: libFuzzer/AFL++ instrumentation does not fit a
/// test suite that must run anywhere in seconds). Each input is a corpus entry with one to four
/// mutations: bit flips, interesting bytes, deletions, duplications, splices with another entry,
/// dictionary tokens, long runs, truncation. The same seed gives the same inputs.</summary>
public sealed class MutationFuzzer(int seed, IReadOnlyList<byte[]> corpus, IReadOnlyList<byte[]> dictionary)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xC0, 0xFF, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t',
        (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'(', (byte)')', (byte)'[', (byte)']', (byte)'<', (byte)'>', (byte)'%',
        (byte)'@', (byte)':', (byte)';', (byte)'=', (byte)'.', (byte)',', (byte)'*', (byte)'~', (byte)'+', (byte)'-', (byte)'9'];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var data = new List<byte>(corpus[_random.Next(corpus.Count)]);
        var mutations = 1 + _random.Next(4);
        for (var i = 0; i < mutations; i++) Mutate(data);
        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        var pos = data.Count == 0 ? 0 : _random.Next(data.Count + 1);
        switch (_random.Next(10))
        {
            case 0 when data.Count > 0: // flip a bit
                var at = _random.Next(data.Count);
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1: // an interesting byte
                data.Insert(pos, Interesting[_random.Next(Interesting.Length)]);
                break;
            case 2 when data.Count > 0: // overwrite with an interesting byte
                data[_random.Next(data.Count)] = Interesting[_random.Next(Interesting.Length)];
                break;
            case 3 when data.Count > 0: // delete a range
                var start = _random.Next(data.Count);
                data.RemoveRange(start, Math.Min(data.Count - start, 1 + _random.Next(16)));
                break;
            case 4 when data.Count > 0: // duplicate a range
                var s = _random.Next(data.Count);
                var chunk = data.GetRange(s, Math.Min(data.Count - s, 1 + _random.Next(32)));
                data.InsertRange(pos, chunk);
                break;
            case 5: // splice in part of another entry
                var other = corpus[_random.Next(corpus.Count)];
                if (other.Length == 0) break;
                var o = _random.Next(other.Length);
                data.InsertRange(pos, other.Skip(o).Take(1 + _random.Next(64)));
                break;
            case 6 when dictionary.Count > 0: // a token that means something to the parser
                data.InsertRange(pos, dictionary[_random.Next(dictionary.Count)]);
                break;
            case 7: // a long run, to hit length limits
                var run = Interesting[_random.Next(Interesting.Length)] is var b && _random.Next(2) == 0 ? b : (byte)'A';
                data.InsertRange(pos, Enumerable.Repeat(run, _random.Next(4) switch { 0 => 255, 1 => 1001, 2 => 4097, _ => 70_000 }));
                break;
            case 8 when data.Count > 0: // truncate
                var keep = _random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            default: // a random byte
                data.Insert(pos, (byte)_random.Next(256));
                break;
        }
        if (data.Count > 200_000) data.RemoveRange(200_000, data.Count - 200_000);
    }

    public static IReadOnlyList<byte[]> Tokens(params string[] tokens) => tokens.Select(Encoding.UTF8.GetBytes).ToList();
}
