using System.Text;
using System.Text.Json;
using Vigil.Core.Audit;
using Vigil.Security.Audit;
using Vigil.Security.Passwords;

namespace Vigil.Core.Tests;

public sealed class SecurityTests
{
    private static readonly Argon2idPasswordHasher Hasher = new(new Argon2Cost(64, 1, 1));

    [Fact]
    public void Argon2id_hash_is_phc_formatted_salted_and_verifies()
    {
        var h1 = Hasher.Hash("pässword");
        var h2 = Hasher.Hash("pässword");
        Assert.StartsWith("$argon2id$v=19$m=64,t=1,p=1$", h1, StringComparison.Ordinal);
        Assert.NotEqual(h1, h2);
        Assert.True(Hasher.Verify("pässword", h1));
        Assert.False(Hasher.Verify("password", h1));
        Assert.False(Hasher.Verify("pässword", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA")); // absurd cost refused
        Assert.False(Hasher.Verify("x", "plain-text"));
    }

    [Fact]
    public async Task Audit_entries_chain_by_the_hash_of_the_previous_line()
    {
        var dir = Directory.CreateTempSubdirectory("vigil-audit-").FullName;
        try
        {
            var log = new JsonlAuditLog(dir);
            await log.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, "root", "cli", "domain.add", "a.test"), default);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => log.AppendAsync(new AuditEvent(DateTimeOffset.UtcNow, "root", "cli", "user.add", $"u{i}@a.test"), default)));
            var lines = File.ReadAllLines(log.FilePath);
            Assert.Equal(21, lines.Length);
            var prev = JsonlAuditLog.GenesisHash;
            for (var i = 0; i < lines.Length; i++)
            {
                using var doc = JsonDocument.Parse(lines[i]);
                Assert.Equal(i + 1, doc.RootElement.GetProperty("seq").GetInt64());
                Assert.Equal(prev, doc.RootElement.GetProperty("prev").GetString());
                prev = JsonlAuditLog.HashLine(Encoding.UTF8.GetBytes(lines[i]));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
