using System.Runtime.InteropServices;

namespace Vigil.Core.IO;

/// <summary>Makes many freshly written files durable with one call instead of an fsync each:
/// <c>syncfs(2)</c> flushes the whole file system that holds the given path. Used by bulk writers
/// (backup targets, restores) that publish a commit record only after everything before it is on
/// disk. Vigil runs on Linux; elsewhere <see cref="SyncFileSystemOf"/> does nothing.</summary>
public static partial class FileSystemSync
{
    /// <summary>Flushes the file system holding <paramref name="path"/> (a file or directory).</summary>
    public static void SyncFileSystemOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open {path} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (syncfs(fd) != 0) throw new IOException($"syncfs failed for {path} (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { close(fd); }
    }

    /// <summary>fsync of one file or directory (a directory fsync makes a rename into it durable).
    /// A failed fsync throws: the caller must not report as stored what the disk refused.</summary>
    public static void Fsync(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"Cannot open {path} to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (fsync(fd) != 0) throw new IOException($"fsync failed for {path} (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
