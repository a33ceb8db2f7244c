using System.CommandLine;
using Vigil.Advisories.Tool;
using Vigil.Ops.Advisories;
using Vigil.Ops.Signing;

// vigil-advisories: the maintainers' tool for the signed advisory feed.
//   keygen --out PREFIX            PREFIX.key (private, 0600) and PREFIX.pub
//   sign --key K --feed F --out O  sign the feed payload F (JSON) into the envelope O
//   verify --pub P --feed O        check a signed feed against a public key

var root = new RootCommand("Make feed keys and sign Vigil security advisory feeds");

var outOption = new Option<string>("--out") { Description = "Path prefix for PREFIX.key and PREFIX.pub", Required = true };
var commentOption = new Option<string>("--comment") { Description = "Comment written into the .pub file", DefaultValueFactory = _ => "vigil advisory feed key" };
var keygen = new Command("keygen", "Create an Ed25519 feed-signing key pair") { outOption, commentOption };
keygen.SetAction(parse =>
{
    var (keyPath, pubPath, keyId) = PrivateKeyFile.Generate(parse.GetRequiredValue(outOption), parse.GetRequiredValue(commentOption));
    Console.WriteLine($"key id {keyId}\nprivate key {keyPath} (keep it offline)\npublic key {pubPath} (give it to servers: vigil advisories trust {pubPath})");
    return 0;
});
root.Add(keygen);

var keyOption = new Option<FileInfo>("--key") { Description = "Private key file from keygen", Required = true };
var feedOption = new Option<FileInfo>("--feed") { Description = "Feed JSON", Required = true };
var signedOutOption = new Option<string>("--out") { Description = "Where to write the signed feed", Required = true };
var sign = new Command("sign", "Sign a feed (the payload JSON) with a private key") { keyOption, feedOption, signedOutOption };
sign.SetAction(parse =>
{
    using var key = PrivateKeyFile.Load(parse.GetRequiredValue(keyOption).FullName);
    var payload = File.ReadAllBytes(parse.GetRequiredValue(feedOption).FullName);
    try
    {
        var envelope = FeedSigner.Sign(payload, key);
        File.WriteAllBytes(parse.GetRequiredValue(signedOutOption), envelope.ToJson());
        AdvisoryFeedJson.TryParse(payload, out var feed, out _);
        Console.WriteLine($"signed feed serial {feed.Serial} ({feed.Advisories.Count} advisories) with key {envelope.KeyId}");
        return 0;
    }
    catch (FormatException ex)
    {
        Console.Error.WriteLine($"not signing: {ex.Message}");
        return 2;
    }
});
root.Add(sign);

var pubOption = new Option<FileInfo>("--pub") { Description = "Public key file", Required = true };
var verifyFeedOption = new Option<FileInfo>("--feed") { Description = "Signed feed", Required = true };
var verify = new Command("verify", "Verify a signed feed against a public key") { pubOption, verifyFeedOption };
verify.SetAction(parse =>
{
    if (!PublicKeyFile.TryParse(File.ReadAllText(parse.GetRequiredValue(pubOption).FullName), out var pub, out var error))
    {
        Console.Error.WriteLine(error);
        return 2;
    }
    var keyring = new AdvisoryKeyring([new TrustedKey(KeyId.Of(pub), pub, KeyOrigin.Admin, "", null)]);
    var refusal = FeedVerifier.Verify(File.ReadAllBytes(parse.GetRequiredValue(verifyFeedOption).FullName), keyring, out var verified);
    if (refusal is not null)
    {
        Console.Error.WriteLine($"refused ({refusal.Code}): {refusal.Message}");
        return 1;
    }
    Console.WriteLine($"valid: serial {verified.Feed.Serial}, {verified.Feed.Advisories.Count} advisories, key {verified.Key.KeyId}");
    return 0;
});
root.Add(verify);

return await root.Parse(args).InvokeAsync();
