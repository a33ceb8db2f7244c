using System.Globalization;
using System.Security.Cryptography;

namespace Vigil.Fuzz.Tests;

/// <summary>Runs one fuzz target for a bounded number of inputs: first every corpus file
/// as is (the regressions among them included), then mutations. Any exception from the target is
/// a finding: the input is saved under <c>fuzz-findings/</c> (to become a corpus file, i.e. a
/// regression test) and the test fails naming it.</summary>
public static class FuzzRunner
{
    /// <summary>VIGIL_FUZZ_INPUTS mutated inputs per target (default 3,000, so a test run is the same
    /// inputs on every machine); VIGIL_FUZZ_SEED (default fixed; "random" explores). A long
    /// exploring run: VIGIL_FUZZ_INPUTS=200000 VIGIL_FUZZ_SEED=random.</summary>
    public static int Inputs =>
        int.TryParse(Environment.GetEnvironmentVariable("VIGIL_FUZZ_INPUTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, MaxInputs) : 3_000;

    public static int Seed(string target)
    {
        var text = Environment.GetEnvironmentVariable("VIGIL_FUZZ_SEED");
        if (text == "random") return Random.Shared.Next();
        var baseSeed = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 20260115;
        return baseSeed ^ target.Aggregate(17, (h, c) => h * 31 + c);
    }

    public const int MaxInputs = 1_000_000;

    public static string CorpusDirectory(string target) => Path.Combine(AppContext.BaseDirectory, "Corpus", target);

    public static IReadOnlyList<byte[]> Corpus(string target) =>
        Directory.EnumerateFiles(CorpusDirectory(target), "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToList();

    public static int Run(string target, IReadOnlyList<byte[]> dictionary, Action<byte[]> check)
    {
        var corpus = Corpus(target);
        Assert.NotEmpty(corpus);
        foreach (var input in corpus) Attempt(target, input, check);
        var seed = Seed(target);
        var fuzzer = new MutationFuzzer(seed, corpus, dictionary);
        var inputs = Inputs;
        for (var i = 0; i < inputs; i++) Attempt(target, fuzzer.Next(), check, seed);
        return corpus.Count + inputs;
    }

    private static void Attempt(string target, byte[] input, Action<byte[]> check, int? seed = null)
    {
        try
        {
            check(input);
        }
        catch (Exception ex) // a crash or a broken invariant (an Assert inside the check)
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "fuzz-findings", target);
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
            File.WriteAllBytes(file, input);
            Assert.Fail($"{target}: {ex.GetType().Name}: {ex.Message} (seed {seed?.ToString(CultureInfo.InvariantCulture) ?? "corpus"}; input saved to {file}; " +
                $"base64 {Convert.ToBase64String(input.Take(300).ToArray())}{(input.Length > 300 ? "..." : "")})\n{ex.StackTrace}");
        }
    }
}
