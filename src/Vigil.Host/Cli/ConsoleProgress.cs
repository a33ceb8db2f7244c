using System.Diagnostics;
using System.Globalization;
using Vigil.Ops.Backup.Progress;

namespace Vigil.Host.Cli;

/// <summary>Shows a long operation's progress on stderr: a bar redrawn in place on a terminal;
/// plain lines (at most every 5 s, and at each phase change) when stderr is a file or pipe, so
/// logs stay readable. Thread-safe: workers report concurrently.</summary>
public sealed class ConsoleProgress : IProgress<BackupProgress>
{
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan _lastDraw = TimeSpan.MinValue;
    private string? _phase;
    private bool _barOpen;

    public void Report(BackupProgress p)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var phaseChanged = p.Phase != _phase;
            var finished = p.Total > 0 && p.Done >= p.Total;
            var interval = _terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5);
            if (!phaseChanged && !finished && now - _lastDraw < interval) return;
            if (phaseChanged && _barOpen) EndBar();
            _phase = p.Phase;
            _lastDraw = now;
            if (_terminal)
            {
                Console.Error.Write("\r" + Bar(p).PadRight(Math.Max(0, SafeWidth() - 1)));
                _barOpen = true;
                if (finished) EndBar();
            }
            else
            {
                Console.Error.WriteLine(Line(p));
            }
        }
    }

    /// <summary>Ends a bar that is still open, so the next output starts on its own line.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_barOpen) EndBar();
        }
    }

    private void EndBar()
    {
        Console.Error.WriteLine();
        _barOpen = false;
    }

    private static string Bar(BackupProgress p)
    {
        const int width = 30;
        var fraction = p.Total > 0 ? Math.Clamp((double)p.Done / p.Total, 0, 1) : 0;
        var filled = (int)(fraction * width);
        return string.Create(CultureInfo.InvariantCulture,
            $"{p.Phase,-10} [{new string('#', filled)}{new string('.', width - filled)}] {fraction,4:P0} {p.Done:N0}/{p.Total:N0}{Bytes(p)}");
    }

    private static string Line(BackupProgress p) =>
        string.Create(CultureInfo.InvariantCulture, $"progress: {p.Phase} {p.Done:N0}/{p.Total:N0}{(p.Total > 0 ? $" ({(double)p.Done / p.Total:P0})" : "")}{Bytes(p)}");

    private static string Bytes(BackupProgress p) =>
        p.TotalBytes > 0 ? $" {UserCommands.FormatSize(p.Bytes)} of {UserCommands.FormatSize(p.TotalBytes)}" : "";

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 100; }
        catch (IOException) { return 100; }
    }
}
