using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests.Support;

/// <summary>A test class's own database in a temporary folder, removed afterwards.</summary>
public abstract class TempDatabase : IAsyncLifetime
{
    protected string Folder { get; } = Directory.CreateTempSubdirectory("vigil-db-").FullName;

    protected SqliteDatabase Db { get; set; } = null!;

    protected string DatabasePath => Path.Combine(Folder, "vigil.db");

    public virtual Task InitializeAsync()
    {
        Db = SqliteDatabase.Open(DatabasePath);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
