using System.CommandLine;

namespace Vigil.Host.Cli;

/// <summary><c>vigil version</c>: version, build number, commit and build date stamped at build time.</summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Show the version, build number, commit and build date");
        command.SetAction(_ =>
        {
            var b = BuildInfo.Current;
            Console.WriteLine($"vigil {b.Version}");
            Console.WriteLine($"build   {b.BuildNumber}");
            Console.WriteLine($"commit  {b.Commit}");
            Console.WriteLine($"built   {b.BuildDate}");
            return 0;
        });
        return command;
    }
}
