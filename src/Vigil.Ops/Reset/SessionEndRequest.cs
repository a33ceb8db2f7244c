using System.Text.Json;

namespace Vigil.Ops.Reset;

/// <summary>A request, left by the CLI in <c>DATA/run/end-sessions/</c>, that the running server end
/// the sessions of some accounts. One file per request (named by time and a random id, never by
/// anything a client sent), so concurrent CLI runs cannot overwrite each other's requests. With
/// <see cref="AppPasswords"/> it names the sessions opened with those app passwords instead of
/// whole accounts.</summary>
public sealed record SessionEndRequest(IReadOnlyList<long> Accounts, string Reason, DateTimeOffset Time, IReadOnlyList<long>? AppPasswords = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const string Extension = ".json";

    public static string Write(string directory, SessionEndRequest request)
    {
        Directory.CreateDirectory(directory);
        var name = $"{request.Time.UtcDateTime:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}";
        var tmp = Path.Combine(directory, name + ".tmp");
        var path = Path.Combine(directory, name + Extension);
        File.WriteAllText(tmp, JsonSerializer.Serialize(request, Json));
        File.Move(tmp, path); // the server only reads complete requests
        return path;
    }

    public static SessionEndRequest? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SessionEndRequest>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The CLI side: leaves a request for the running server.</summary>
public sealed class RequestFileSessionEnder(string directory) : ISessionEnder
{
    public Task EndAsync(IReadOnlyCollection<long> accountIds, string reason, CancellationToken ct)
    {
        if (accountIds.Count > 0) SessionEndRequest.Write(directory, new SessionEndRequest(accountIds.ToList(), reason, DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }

    public Task EndAppPasswordSessionsAsync(IReadOnlyCollection<long> appPasswordIds, string reason, CancellationToken ct)
    {
        if (appPasswordIds.Count > 0) SessionEndRequest.Write(directory, new SessionEndRequest([], reason, DateTimeOffset.UtcNow, appPasswordIds.ToList()));
        return Task.CompletedTask;
    }
}
