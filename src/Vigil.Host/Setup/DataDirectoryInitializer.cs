using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Security.Keys;
using Vigil.Security.Tls;

namespace Vigil.Host.Setup;

/// <summary><c>vigil init</c>: creates the data directory (0700), the config, a self-signed
/// certificate (key 0600) and the instance identity key (0600). Refuses to overwrite.</summary>
public static class DataDirectoryInitializer
{
    public static VigilConfig Initialize(DataDirectory data, string hostname, string bind, int portOffset, ListenerPorts? ports = null)
    {
        if (data.IsInitialised) throw new UserErrorException($"{data.Root} is already initialised ({data.ConfigFile} exists)");
        if (!Uri.CheckHostName(hostname).Equals(UriHostNameType.Dns)) throw new UserErrorException($"'{hostname}' is not a valid host name");
        if (!System.Net.IPAddress.TryParse(bind, out _)) throw new UserErrorException($"--bind '{bind}' is not an IP address");
        if (portOffset is < 0 or > 60000) throw new UserErrorException("--port-offset must be between 0 and 60000");

        foreach (var dir in new[] { data.Root, data.Certs, data.Secrets, data.Audit, data.Blobs, data.Run })
        {
            Directory.CreateDirectory(dir);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        SelfSignedCertificate.Write(hostname, data.CertificateFile, data.KeyFile);
        InstanceKey.Create(data.InstanceKeyFile);
        var config = new VigilConfig
        {
            Hostname = hostname,
            Bind = bind,
            PortOffset = portOffset,
            Ports = ports ?? ListenerPorts.WithOffset(portOffset),
        };
        config.Save(data);
        IntegrityHosting.SeedPrincipalBaseline(data, config);
        return config;
    }
}
