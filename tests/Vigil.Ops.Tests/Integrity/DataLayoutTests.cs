using Vigil.Ops.Integrity;

namespace Vigil.Ops.Tests.Integrity;

public class DataLayoutTests
{
    private const string Blob = "ab/abcd" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab";

    [Theory]
    [InlineData("vigil.json")]
    [InlineData("vigil.json.tmp")]
    [InlineData("vigil.json.seal")]
    [InlineData("vigil.db")]
    [InlineData("vigil.db-wal")]
    [InlineData("vigil.db-shm")]
    [InlineData("lockdown.json")]
    [InlineData("blobs/" + Blob)]
    [InlineData("blobs/tmp/0123456789abcdef0123456789abcdef.tmp")]
    [InlineData("blobs/tmp/0123456789abcdef0123456789abcdef.spool")] // a large message while SMTP checks it
    [InlineData("certs/cert.pem")]
    [InlineData("certs/.cert.pem.0123456789abcdef0123456789abcdef.tmp")]
    [InlineData("secrets/instance.key")]
    [InlineData("secrets/program-manifest.pub")]
    [InlineData("audit/audit.jsonl")]
    [InlineData("audit/audit-000000001001.jsonl")]
    [InlineData("audit/checkpoints.jsonl")]
    [InlineData("audit/.lock")]
    [InlineData("audit/principals.json")]
    [InlineData("run/status.json")]
    [InlineData("run/status.json.tmp")]
    [InlineData("run/end-sessions/20260115120000123-0123456789abcdef0123456789abcdef.json")]
    [InlineData("run/end-sessions/20260115120000123-0123456789abcdef0123456789abcdef.tmp")]
    [InlineData("fleet/members/m1/heartbeat.json")]
    [InlineData("advisories/.lock")]
    [InlineData("backup/staging/x/snapshot.db")]
    public void Vigils_own_files_are_allowed(string path) => Assert.Null(DataLayout.Check(path, isDirectory: false));

    [Theory]
    [InlineData("blobs")]
    [InlineData("blobs/ab")]
    [InlineData("blobs/tmp")]
    [InlineData("audit")]
    [InlineData("run/end-sessions")]
    [InlineData("fleet/members/m1/outbox")]
    public void Vigils_own_folders_are_allowed(string path) => Assert.Null(DataLayout.Check(path, isDirectory: true));

    [Theory]
    [InlineData("a8f3kq.exe")]
    [InlineData("x.ps1")]
    [InlineData("vigil.json.bak")]
    [InlineData("README")]
    [InlineData("blobs/ab/x.ps1")]
    [InlineData("blobs/ab/abcd0123.locked")]
    [InlineData("blobs/ab/ffff" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab")] // right name, wrong folder
    [InlineData("blobs/ab/ABCD" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab")] // upper-case hex is not a blob name
    [InlineData("blobs/ab/cd/abcd" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab")] // the old two-level layout, migrated at start
    [InlineData("blobs/ab/HOW_TO_DECRYPT.txt")]
    [InlineData("blobs/tmp/payload.sh")]
    [InlineData("blobs/tmp/0123456789abcdef0123456789abcdef.spool.sh")]
    [InlineData("blobs/readme.txt")]
    [InlineData("certs/update.sh")]
    [InlineData("secrets/stealer.exe")]
    [InlineData("audit/notes.txt")]
    [InlineData("run/agent.tmp")]
    [InlineData("fleet/payload.dll")]
    [InlineData("backup/staging/x/run.sh")]
    public void Anything_else_is_not(string path) => Assert.NotNull(DataLayout.Check(path, isDirectory: false));

    [Theory]
    [InlineData("tools")]
    [InlineData("blobs/zz")]
    [InlineData("blobs/ab/cd")]
    [InlineData("audit/old")]
    [InlineData(".ssh")]
    public void Unknown_folders_are_not(string path) => Assert.NotNull(DataLayout.Check(path, isDirectory: true));

    [Fact]
    public void A_blob_path_yields_its_name()
    {
        Assert.True(DataLayout.IsBlob("blobs/" + Blob, out var hex));
        Assert.Equal(Blob[3..], hex);
        Assert.False(DataLayout.IsBlob("blobs/tmp/0123456789abcdef0123456789abcdef.tmp", out _));
        Assert.False(DataLayout.IsBlob("audit/audit.jsonl", out _));
    }
}
