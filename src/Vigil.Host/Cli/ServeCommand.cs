using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Host.Config;
using Vigil.Host.Hosting;
using Vigil.Host.Setup;

namespace Vigil.Host.Cli;

/// <summary><c>vigil serve</c>: every listener in the foreground until SIGINT/SIGTERM, then drain.
/// Refuses to start as root (unless --allow-root) and from a data directory other users can read.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var allowRoot = new Option<bool>("--allow-root") { Description = "Run even with effective uid 0 (not recommended: use a dedicated user with CAP_NET_BIND_SERVICE)" };
        var command = new Command("serve", "Run every listener in the foreground until SIGINT/SIGTERM") { allowRoot };
        command.SetGuardedAction(async (parse, ct) =>
        {
            var euid = RootGuard.EffectiveUserId();
            if (RootGuard.Check(euid, parse.GetValue(allowRoot)) is { } refusal) return CliApp.Fail(refusal);
            var data = new DataDirectory(DataDirectory.Resolve(parse.GetValue(CliApp.Data)) ?? throw new UserErrorException("no data directory: pass --data DIR or set VIGIL_DATA"));
            var config = VigilConfig.Load(data);
            var problems = DataDirectoryPermissions.Problems(data, VigilServices.Resolve(data, config.Tls.KeyFile));
            if (problems.Count > 0) return CliApp.Fail($"refusing to start: {string.Join("; ", problems)}");
            using var host = VigilServer.Build(data, config);
            if (euid == 0) ServeLog.RunningAsRoot(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Serve"));
            await host.RunAsync(ct);
            return 0;
        });
        return command;
    }
}

internal static partial class ServeLog
{
    [LoggerMessage(EventId = 11050, EventName = "serve.running_as_root", Level = LogLevel.Warning,
        Message = "Running as root because --allow-root was given; a dedicated user with CAP_NET_BIND_SERVICE is safer (deploy/vigil.service)")]
    public static partial void RunningAsRoot(ILogger logger);
}
