using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Vigil.Host.Config;
using Vigil.Host.Hosting;

namespace Vigil.Host.Cli;

/// <summary><c>vigil serve</c>: every listener in the foreground until SIGINT/SIGTERM, then drain.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run every listener in the foreground until SIGINT/SIGTERM");
        command.SetGuardedAction(async (parse, ct) =>
        {
            var data = new DataDirectory(DataDirectory.Resolve(parse.GetValue(CliApp.Data)) ?? throw new UserErrorException("no data directory: pass --data DIR or set VIGIL_DATA"));
            var config = VigilConfig.Load(data);
            using var host = VigilServer.Build(data, config);
            await host.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
