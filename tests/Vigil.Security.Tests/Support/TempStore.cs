using Vigil.Storage.Sqlite;

namespace Vigil.Security.Tests.Support;

/// <summary>A fresh embedded store in a temporary directory, deleted on dispose.</summary>
public sealed class TempStore : IAsyncDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "vigil-sec-" + Guid.NewGuid().ToString("N"));
    public SqliteDatabase Db { get; private set; }

    public TempStore()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Db = SqliteDatabase.Open(DbPath);
    }

    public string DbPath => Path.Combine(Directory, "vigil.db");

    /// <summary>Closes and re-opens the database, as a server restart does.</summary>
    public async Task ReopenAsync()
    {
        await Db.DisposeAsync();
        Db = SqliteDatabase.Open(DbPath);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
