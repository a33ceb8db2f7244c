using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Security.Tls;

/// <summary>Holds the server certificate loaded from PEM files and hands out the server options
/// of <see cref="TlsServerPolicy"/>. <see cref="Reload"/> swaps the certificate for new handshakes
/// without a restart; sessions already in TLS keep theirs. A pair that cannot serve is refused and
/// the current certificate stays.</summary>
public sealed class TlsCertificateProvider
{
    private readonly TimeProvider _time;
    private readonly object _reloadLock = new();
    private volatile ServedCertificate _current;

    public TlsCertificateProvider(string certPath, string keyPath, TimeProvider? time = null)
    {
        CertificateFile = certPath;
        KeyFile = keyPath;
        _time = time ?? TimeProvider.System;
        _current = ServedCertificate.Load(certPath, keyPath, _time.GetUtcNow(), allowExpired: true);
    }

    public string CertificateFile { get; }
    public string KeyFile { get; }
    public ServedCertificate Current => _current;
    public X509Certificate2 Certificate => _current.Certificate;

    /// <summary>Reads the files again (an expired certificate is refused here: it never replaces one). Changed when they hold another certificate; on failure the
    /// current certificate keeps serving and <see cref="TlsReload.Error"/> says why.</summary>
    public TlsReload Reload()
    {
        lock (_reloadLock)
        {
            var previous = _current;
            try
            {
                var loaded = ServedCertificate.Load(CertificateFile, KeyFile, _time.GetUtcNow());
                if (loaded.Sha256 == previous.Sha256) return new TlsReload(previous, previous, null);
                _current = loaded;
                return new TlsReload(previous, loaded, null);
            }
            catch (InvalidCertificateException ex)
            {
                return new TlsReload(previous, previous, ex.Message);
            }
        }
    }

    /// <summary>Options for one server handshake. <paramref name="clientCertificates"/>, when
    /// given, makes a client certificate signed by its authority mandatory (the admin HTTPS port).</summary>
    public SslServerAuthenticationOptions ServerOptions(ClientCertificateValidator? clientCertificates = null) => new()
    {
        ServerCertificateContext = _current.Context,
        EnabledSslProtocols = TlsServerPolicy.Protocols,
        CipherSuitesPolicy = TlsServerPolicy.CipherSuites,
        ClientCertificateRequired = clientCertificates is not null,
        RemoteCertificateValidationCallback = clientCertificates is null ? null : (_, cert, _, _) => clientCertificates.IsTrusted(cert),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };
}

/// <summary>What a reload did: <see cref="Changed"/> when another certificate now serves,
/// <see cref="Error"/> when the files were refused (and <see cref="Previous"/> still serves).</summary>
public sealed record TlsReload(ServedCertificate Previous, ServedCertificate Current, string? Error)
{
    public bool Changed => !ReferenceEquals(Previous, Current);
}
