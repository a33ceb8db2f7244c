using System.Diagnostics;
using System.Net;

namespace Vigil.Bench.Imap;

/// <summary>One client fetches ENVELOPE for every message of a big mailbox: the time of SELECT and
/// of the FETCH, and how many FETCH responses came back. Run twice: cold, then with whatever the
/// server cached from the first pass.</summary>
public static class FetchEnvelope
{
    public static async Task<(TimeSpan Select, TimeSpan Fetch, int Responses)> RunAsync(IPEndPoint server, string user, string password, CancellationToken ct)
    {
        await using var c = await ImapClient.ConnectAsync(server, null, ct);
        await c.LoginAsync(user, password, ct);
        var t = Stopwatch.StartNew();
        var select = await c.CommandAsync("SELECT INBOX", ct);
        if (!select.Ok) throw new IOException("SELECT: " + select.Status);
        var selectTime = t.Elapsed;
        t.Restart();
        var fetch = await c.CommandAsync("FETCH 1:* (ENVELOPE)", ct);
        if (!fetch.Ok) throw new IOException("FETCH: " + fetch.Status);
        var fetchTime = t.Elapsed;
        await c.LogoutAsync(ct);
        return (selectTime, fetchTime, fetch.Count(" FETCH "));
    }
}
