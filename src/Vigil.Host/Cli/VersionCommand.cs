using System.CommandLine;
using System.Text.Json;
using Vigil.Host.Config;

namespace Vigil.Host.Cli;

/// <summary><c>vigil version [--json]</c>: version, build number, commit and build date stamped at build time.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (version, buildNumber, commit, buildDate)" };
        var command = new Command("version", "Show the version, build number, commit and build date") { json };
        command.SetAction(parse =>
        {
            var b = BuildInfo.Current;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { b.Version, b.BuildNumber, b.Commit, b.BuildDate }, VigilConfig.Json));
                return 0;
            }
            Console.WriteLine($"vigil {b.Version}");
            Console.WriteLine($"build   {b.BuildNumber}");
            Console.WriteLine($"commit  {b.Commit}");
            Console.WriteLine($"built   {b.BuildDate}");
            return 0;
        });
        return command;
    }
}
