using System.Diagnostics;
using Vigil.Ops.Advisories;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Advisories;

/// <summary>Feed signatures are plain RFC 8032 Ed25519, checked against OpenSSL both ways: OpenSSL
/// verifies what the maintainers' tool signs, and the server accepts what OpenSSL signs.</summary>
public class OpenSslInteropTests
{
    private static readonly byte[] SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");

    [Fact]
    public async Task OpenSsl_verifies_a_feed_signed_by_the_tool()
    {
        using var dir = new TempDir();
        using var maker = new FeedMaker();
        SignedEnvelope.TryParse(maker.Sign(1, FeedMaker.Advisory("VSA-1", AdvisorySeverity.High, 1, 2)), out var envelope, out _);
        File.WriteAllBytes(dir.File("msg"), SignedEnvelope.SigningInput(MessageFormats.AdvisoryFeed, envelope.Payload));
        File.WriteAllBytes(dir.File("sig"), envelope.Signature);
        File.WriteAllText(dir.File("pub.pem"), Pem([.. SpkiPrefix, .. maker.PublicKey]));

        var ok = await OpenSsl(dir.Path, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "sig");
        Assert.True(ok.Exit == 0, ok.Output);
        Assert.Contains("Signature Verified Successfully", ok.Output, StringComparison.Ordinal);

        var tampered = File.ReadAllBytes(dir.File("msg"));
        tampered[^3] ^= 1;
        File.WriteAllBytes(dir.File("msg"), tampered);
        Assert.NotEqual(0, (await OpenSsl(dir.Path, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "sig")).Exit);
    }

    [Fact]
    public async Task The_server_accepts_a_feed_signed_by_OpenSsl_with_a_trusted_key()
    {
        using var dir = new TempDir();
        Assert.Equal(0, (await OpenSsl(dir.Path, "genpkey", "-algorithm", "ed25519", "-out", "k.pem")).Exit);
        Assert.Equal(0, (await OpenSsl(dir.Path, "pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der")).Exit);
        var publicKey = File.ReadAllBytes(dir.File("pub.der"))[^32..];

        var payload = AdvisoryFeedJson.Write(new AdvisoryFeed(4, FeedMaker.Published, [FeedMaker.Advisory("VSA-9", AdvisorySeverity.Low, 1, 3)]));
        File.WriteAllBytes(dir.File("msg"), SignedEnvelope.SigningInput(MessageFormats.AdvisoryFeed, payload));
        Assert.Equal(0, (await OpenSsl(dir.Path, "pkeyutl", "-sign", "-inkey", "k.pem", "-rawin", "-in", "msg", "-out", "sig")).Exit);
        var envelope = new SignedEnvelope(MessageFormats.AdvisoryFeed, KeyId.Of(publicKey), payload, File.ReadAllBytes(dir.File("sig")));

        var keyring = new AdvisoryKeyring([new TrustedKey(KeyId.Of(publicKey), publicKey, KeyOrigin.Admin, "openssl", null)]);
        Assert.Null(FeedVerifier.Verify(envelope.ToJson(), keyring, out var verified));
        Assert.Equal("VSA-9", Assert.Single(verified.Feed.Advisories).Id);
    }

    private static string Pem(byte[] der) => $"-----BEGIN PUBLIC KEY-----\n{Convert.ToBase64String(der)}\n-----END PUBLIC KEY-----\n";

    private static async Task<(int Exit, string Output)> OpenSsl(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }
}
