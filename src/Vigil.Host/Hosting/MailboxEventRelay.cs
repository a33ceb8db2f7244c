using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vigil.Core.Events;
using Vigil.Host.Cli;
using Vigil.Host.Config;

namespace Vigil.Host.Hosting;

/// <summary>Carries mailbox changes made by a CLI process (a mailbox restore into the live server)
/// to the running server, whose <see cref="MailboxEvents"/> then tells open IMAP sessions (IDLE).
/// The CLI drops one JSON file per batch into <c>DATA/run/events/</c> (0700 directory, written
/// under a temp name and renamed, so the server never reads half a file); the server publishes and
/// deletes each. A change only says "look at this mailbox again": sessions re-read the store, so
/// nothing in a file is trusted beyond that, and a file can carry no command.</summary>
public sealed class MailboxEventRelay(DataDirectory data, MailboxEvents events)
{
    private const int MaxFileBytes = 1024 * 1024;

    public string Directory => data.MailboxEvents;

    /// <summary>In the server: publish directly. In the CLI: hand over to the running server, if any.</summary>
    public bool InServer { get; set; }

    public void Publish(MailboxChange change)
    {
        if (InServer)
        {
            events.Publish(change);
            return;
        }
        if (StatusCommand.ReadRunStatus(data) is null) return; // no server, no open sessions to tell
        System.IO.Directory.CreateDirectory(Directory);
        var name = Path.Combine(Directory, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D15}-{Guid.NewGuid():N}");
        File.WriteAllBytes(name + ".tmp", JsonSerializer.SerializeToUtf8Bytes(change, VigilConfig.Json));
        File.Move(name + ".tmp", name + ".json");
    }

    /// <summary>Publishes and removes every complete file waiting; returns how many changes.</summary>
    public int Drain(ILogger logger)
    {
        if (!System.IO.Directory.Exists(Directory)) return 0;
        var n = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                var bytes = new FileInfo(file).Length <= MaxFileBytes ? File.ReadAllBytes(file) : null;
                if (bytes is not null && JsonSerializer.Deserialize<MailboxChange>(bytes, VigilConfig.Json) is { } change)
                {
                    events.Publish(change);
                    n++;
                }
            }
            catch (JsonException ex)
            {
                MailboxEventRelayService.LogBadFile(logger, Path.GetFileName(file), ex.Message);
            }
            File.Delete(file);
        }
        return n;
    }
}

/// <summary>The server's side of <see cref="MailboxEventRelay"/>: drains the directory four times a second.</summary>
public sealed partial class MailboxEventRelayService(MailboxEventRelay relay, ILogger<MailboxEventRelayService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        relay.InServer = true;
        System.IO.Directory.CreateDirectory(relay.Directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(relay.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            try
            {
                relay.Drain(logger);
            }
            catch (IOException ex)
            {
                LogDrainFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    [LoggerMessage(EventId = 11040, EventName = "events.bad-file", Level = LogLevel.Warning, Message = "Ignored unreadable mailbox event file {File}: {Error}")]
    internal static partial void LogBadFile(ILogger logger, string file, string error);

    [LoggerMessage(EventId = 11041, EventName = "events.drain-failed", Level = LogLevel.Warning, Message = "Could not read mailbox event files: {Error}")]
    private static partial void LogDrainFailed(ILogger logger, string error);
}
