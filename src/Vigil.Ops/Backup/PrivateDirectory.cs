namespace Vigil.Ops.Backup;

/// <summary>Directories that hold copies of mail or metadata (staging, state, restores): 0700 from
/// the moment they exist, like the data directory itself.</summary>
public static class PrivateDirectory
{
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, owner);
        File.SetUnixFileMode(path, owner); // also when it already existed
    }
}
