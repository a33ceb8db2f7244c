using Microsoft.Extensions.Logging;

namespace Vigil.Web;

/// <summary>Sends the web application's logs to the server's logger factory, keeping only
/// warnings and errors from ASP.NET Core itself (a line per heartbeat request is noise; our own
/// fleet and auth events are logged by Vigil's classes).</summary>
internal sealed class WebLoggerFactory(ILoggerFactory server) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Microsoft.", StringComparison.Ordinal) ? new WarningsOnly(server.CreateLogger(categoryName)) : server.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
        // The server owns the factory.
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
