using System.CommandLine;
using Vigil.Host.Config;
using Vigil.Host.Setup;

namespace Vigil.Host.Cli;

/// <summary><c>vigil init</c>: a new data directory with config, self-signed certificate and keys.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var hostname = new Option<string>("--hostname") { Description = "The server's public host name (HELO, certificate)", Required = true };
        var bind = new Option<string>("--bind") { Description = "Address to listen on", DefaultValueFactory = _ => "0.0.0.0" };
        var offset = new Option<int>("--port-offset") { Description = "Added to every standard port (25 → 25+N …)", DefaultValueFactory = _ => 0 };
        var command = new Command("init", "Create a data directory: config, self-signed TLS certificate and instance key") { hostname, bind, offset };
        command.SetGuardedAction((parse, _) =>
        {
            var data = new DataDirectory(DataDirectory.Resolve(parse.GetValue(CliApp.Data)) ?? throw new UserErrorException("no data directory: pass --data DIR or set VIGIL_DATA"));
            var config = DataDirectoryInitializer.Initialize(data, parse.GetValue(hostname)!, parse.GetValue(bind)!, parse.GetValue(offset));
            Console.WriteLine($"initialised {data.Root}");
            Console.WriteLine($"  config       {data.ConfigFile}");
            Console.WriteLine($"  certificate  {data.CertificateFile} (self-signed for {config.Hostname})");
            Console.WriteLine($"  key          {data.KeyFile} (0600)");
            Console.WriteLine($"  instance key {data.InstanceKeyFile} (0600)");
            Console.WriteLine($"  ports        smtp {config.Ports.Smtp}, submission {config.Ports.Submission}, submissions {config.Ports.Submissions}, imap {config.Ports.Imap}, imaps {config.Ports.Imaps}, pop3 {config.Ports.Pop3}, pop3s {config.Ports.Pop3s}, http {config.Ports.Http}");
            return Task.FromResult(0);
        });
        return command;
    }
}
