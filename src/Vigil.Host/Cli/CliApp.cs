using System.CommandLine;
using Microsoft.Data.Sqlite;

namespace Vigil.Host.Cli;

/// <summary>The <c>vigil</c> command line: one file per command group, registered here.</summary>
public static class CliApp
{
    /// <summary>Every command accepts --data; the default comes from $VIGIL_DATA.</summary>
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (default: $VIGIL_DATA)",
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("Vigil mail server");
        root.Options.Add(Data);
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DomainCommands.Create());
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(AliasCommands.Create());
        root.Subcommands.Add(MessageCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(BanCommands.Create());
        root.Subcommands.Add(LockdownCommands.Create());
        root.Subcommands.Add(IntegrityCommands.Create());
        root.Subcommands.Add(AdvisoriesCommands.Create());
        root.Subcommands.Add(FleetCommands.Create());
        root.Subcommands.Add(BackupCommands.Create());
        root.Subcommands.Add(QueueCommands.Create());
        root.Subcommands.Add(RouteCommands.Create());
        root.Subcommands.Add(SenderCommands.Create());
        return root;
    }

    // Serve drains sessions for up to 15 s after SIGTERM; do not let the parser kill us sooner.
    public static Task<int> RunAsync(string[] args) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>Wraps a command so that user mistakes print one line on stderr and exit 1.</summary>
    public static void SetGuardedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct);
            }
            catch (Exception ex) when (ex is UserErrorException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Fail(ex.Message);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
            {
                return Fail("it already exists");
            }
        });

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"vigil: {message}");
        return 1;
    }

    /// <summary>Runs a command body with an opened <see cref="CliContext"/>.</summary>
    public static void WithContext(this Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetGuardedAction(async (parse, ct) =>
        {
            await using var ctx = CliContext.Open(parse.GetValue(Data));
            return await body(ctx, parse, ct);
        });
}
