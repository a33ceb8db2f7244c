using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Ops.Fleet.Member;

/// <summary>The HTTPS client a member talks to its console with. The console's certificate is
/// accepted when it validates normally or when its SHA-256 is the one pinned at enrollment;
/// during enrollment (nothing pinned yet) any certificate is accepted but its fingerprint is
/// recorded, and the member later requires it to equal the one the console signed. Redirects are
/// never followed: a member talks only to the URL its admin gave it.</summary>
public sealed class FleetHttp : IDisposable
{
    private readonly HttpClient _client;

    public FleetHttp(string? pinnedSha256, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                {
                    if (cert is null) return false;
                    var sha = Fingerprint(cert);
                    ObservedCertificateSha256 = sha;
                    return errors == SslPolicyErrors.None || pinnedSha256 is null || string.Equals(sha, pinnedSha256, StringComparison.Ordinal);
                },
            },
        };
        _client = new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>The fingerprint of the certificate the last connection presented.</summary>
    public string? ObservedCertificateSha256 { get; private set; }

    public async Task<(int Status, byte[] Body)> PostAsync(Uri url, byte[] body, string? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var bytes = await Files.BoundedRead.ReadAllAsync(stream, Messages.FleetJson.MaxMessageBytes, ct) ?? throw new HttpRequestException("reply too large");
        return ((int)response.StatusCode, bytes);
    }

    public static string Fingerprint(X509Certificate cert) => Convert.ToHexStringLower(SHA256.HashData(cert.GetRawCertData()));

    public void Dispose() => _client.Dispose();
}
