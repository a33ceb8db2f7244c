namespace Vigil.Bench.Messages;

/// <summary>Message sizes for a load run: a fixed size, or a "realistic" mix from 2 KB to 2 MB
/// drawn from a seeded generator so every server gets the same sequence.</summary>
public sealed class SizeMix
{
    // (size, weight): mostly small text mail, a tail of attachments. Mean ≈ 100 KB.
    private static readonly (int Size, int Weight)[] Realistic =
    [
        (2 * 1024, 30), (8 * 1024, 25), (32 * 1024, 20), (128 * 1024, 15), (512 * 1024, 8), (2 * 1024 * 1024, 2),
    ];

    private readonly int _fixed;

    private SizeMix(int fixedSize) => _fixed = fixedSize;

    public static SizeMix Parse(string spec) => spec == "mix" ? new SizeMix(0) : new SizeMix(int.Parse(spec, System.Globalization.CultureInfo.InvariantCulture));

    public string Describe => _fixed > 0 ? $"{_fixed} bytes" : "mix 2 KB 30%, 8 KB 25%, 32 KB 20%, 128 KB 15%, 512 KB 8%, 2 MB 2%";

    /// <summary>The size of message number <paramref name="index"/> (same for every run).</summary>
    public int SizeOf(int index)
    {
        if (_fixed > 0) return _fixed;
        var roll = new Random(index * 7919 + 17).Next(100);
        foreach (var (size, weight) in Realistic)
        {
            if (roll < weight) return size;
            roll -= weight;
        }
        return Realistic[^1].Size;
    }
}
