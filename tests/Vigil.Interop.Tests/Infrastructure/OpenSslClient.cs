using System.Text.RegularExpressions;

namespace Vigil.Interop.Tests.Infrastructure;

/// <summary><c>openssl s_client</c> against a listener: which protocol and cipher suite were
/// negotiated (if any) and the SHA-256 fingerprint of the certificate served, as
/// <c>openssl x509 -fingerprint -sha256</c> computes it.</summary>
public static partial class OpenSslClient
{
    public sealed record Handshake(bool Succeeded, string? Protocol, string? Cipher, string? CertificatePem, ExternalTool.Result Raw)
    {
        public override string ToString() => $"succeeded={Succeeded} protocol={Protocol} cipher={Cipher}\n{Raw}";
    }

    /// <param name="starttls">smtp, imap or pop3 for a STARTTLS/STLS upgrade; null for implicit TLS.</param>
    /// <param name="options">e.g. "-tls1_2", "-cipher", "AES128-GCM-SHA256".</param>
    public static async Task<Handshake> ConnectAsync(int port, string? starttls, params string[] options)
    {
        List<string> args = ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "mail.example.test"];
        if (starttls is not null) args.AddRange(["-starttls", starttls]);
        args.AddRange(options);
        // stdin closes at once: s_client completes the handshake, prints it, and quits.
        var result = await ExternalTool.RunAsync("openssl", args, stdin: "", timeout: TimeSpan.FromSeconds(20));
        var summary = Summary().Match(result.Stdout);
        var protocol = summary.Success ? summary.Groups[1].Value : null;
        var cipher = summary.Success ? summary.Groups[2].Value : null;
        var ok = result.ExitCode == 0 && protocol is not null and not "(NONE)" && cipher is not "(NONE)";
        var pem = Pem().Match(result.Stdout);
        return new Handshake(ok, ok ? protocol : null, ok ? cipher : null, ok && pem.Success ? pem.Value : null, result);
    }

    /// <summary>SHA-256 fingerprint of a PEM certificate by <c>openssl x509</c>, lower-case hex without colons.</summary>
    public static async Task<string> FingerprintAsync(string pem)
    {
        var result = await ExternalTool.RunAsync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], stdin: pem);
        if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
        return result.Stdout.Trim().Split('=')[1].Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    /// <summary>The served certificate's fingerprint over a fresh handshake.</summary>
    public static async Task<string> ServedFingerprintAsync(int port, string? starttls = null)
    {
        var h = await ConnectAsync(port, starttls);
        if (!h.Succeeded || h.CertificatePem is null) throw new InvalidOperationException(h.ToString());
        return await FingerprintAsync(h.CertificatePem);
    }

    [GeneratedRegex(@"^New, (\S+), Cipher is (\S+)", RegexOptions.Multiline)]
    private static partial Regex Summary();

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex Pem();
}
