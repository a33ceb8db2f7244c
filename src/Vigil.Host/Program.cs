using Vigil.Host.Cli;

return await CliApp.RunAsync(args);
