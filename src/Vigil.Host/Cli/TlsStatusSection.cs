using System.Globalization;
using System.Text.Json;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Security.Tls;

namespace Vigil.Host.Cli;

/// <summary>The TLS lines of <c>vigil status</c>: the certificate in the files (subject, expiry,
/// fingerprint) and, while the server runs, the one it serves. Unhealthy when the files cannot
/// serve (expired, key not matching) or the server still serves another certificate because its
/// last reload was refused.</summary>
public static class TlsStatusSection
{
    private static readonly TimeSpan RenewSoon = TimeSpan.FromDays(21);

    public static Task<bool> PrintAsync(CliContext ctx, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var certFile = VigilServices.Resolve(ctx.Data, ctx.Config.Tls.CertificateFile);
        ServedCertificate files;
        try
        {
            files = ServedCertificate.Load(certFile, VigilServices.Resolve(ctx.Data, ctx.Config.Tls.KeyFile), now);
        }
        catch (InvalidCertificateException ex)
        {
            Console.WriteLine($"tls        PROBLEM: {ex.Message}");
            PrintServed(ctx.Data, null);
            return Task.FromResult(false);
        }
        var left = files.NotAfter - now;
        var soon = left < RenewSoon ? $" (RENEW: {Math.Floor(left.TotalDays).ToString(CultureInfo.InvariantCulture)} days left)" : "";
        Console.WriteLine($"tls        {files.Subject}, issuer {files.Certificate.Issuer}, expires {files.NotAfter:yyyy-MM-dd}{soon}, sha256 {files.Sha256}");
        if (!string.IsNullOrWhiteSpace(ctx.Config.Tls.AdminClientCaFile))
            Console.WriteLine($"tls        HTTPS port requires client certificates signed by {VigilServices.Resolve(ctx.Data, ctx.Config.Tls.AdminClientCaFile)}");
        return Task.FromResult(PrintServed(ctx.Data, files.Sha256));
    }

    /// <summary>What the running server serves; false when it is not what the files hold.</summary>
    private static bool PrintServed(DataDirectory data, string? filesSha256)
    {
        if (StatusCommand.ReadRunStatus(data) is null || !File.Exists(data.TlsStatusFile)) return filesSha256 is not null;
        var served = JsonSerializer.Deserialize<TlsStatus>(File.ReadAllText(data.TlsStatusFile), VigilConfig.Json);
        if (served is null) return filesSha256 is not null;
        if (served.Sha256 == filesSha256)
        {
            Console.WriteLine($"tls        served since {served.LoadedAt:yyyy-MM-ddTHH:mm:ssZ} (reloads on SIGHUP or when the files change)");
            return true;
        }
        var why = served.LastError is { } e ? $": last reload refused: {e}" : ": reload pending";
        Console.WriteLine($"tls        SERVING ANOTHER CERTIFICATE: {served.Subject}, expires {served.NotAfter:yyyy-MM-dd}, sha256 {served.Sha256}{why}");
        return false;
    }
}
