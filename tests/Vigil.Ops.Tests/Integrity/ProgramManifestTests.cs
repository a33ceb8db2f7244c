using Vigil.Ops.Alerts;
using Vigil.Ops.Integrity;
using Vigil.Ops.Tests.Infrastructure;
using Vigil.Security.Keys;

namespace Vigil.Ops.Tests.Integrity;

public sealed class ProgramManifestTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _program;
    private readonly InstanceKey _key;

    public ProgramManifestTests()
    {
        _program = Directory.CreateDirectory(_dir.File("program")).FullName;
        File.WriteAllText(Path.Combine(_program, "vigil.dll"), "program");
        Directory.CreateDirectory(Path.Combine(_program, "runtimes"));
        File.WriteAllText(Path.Combine(_program, "runtimes", "native.so"), "native");
        InstanceKey.Create(_dir.File("publisher.key"));
        _key = InstanceKey.Load(_dir.File("publisher.key"));
    }

    public void Dispose()
    {
        _key.Dispose();
        _dir.Dispose();
    }

    private ProgramManifest Publish()
    {
        var m = ProgramManifest.Create(_program, "build 7", _key);
        m.Save(_program);
        return ProgramManifest.Load(_program)!;
    }

    [Fact]
    public void A_published_tree_verifies_and_matches()
    {
        var m = Publish();
        Assert.True(m.SignatureValid());
        Assert.Equal(["runtimes/native.so", "vigil.dll"], m.Files.Select(f => f.Path));
        Assert.Empty(ProgramCheck.Run(_program, m, _key.PublicKey));
    }

    [Fact]
    public void Changed_added_and_removed_files_are_each_named()
    {
        var m = Publish();
        File.WriteAllText(Path.Combine(_program, "vigil.dll"), "patched");
        File.WriteAllText(Path.Combine(_program, "runtimes", "a8f3kq.so"), "rat");
        File.Delete(Path.Combine(_program, "runtimes", "native.so"));
        var findings = ProgramCheck.Run(_program, m, _key.PublicKey).ToDictionary(f => f.Subject, f => f.Kind);
        Assert.Equal(AlertKinds.ProgramChanged, findings["vigil.dll"]);
        Assert.Equal(AlertKinds.ProgramAdded, findings["runtimes/a8f3kq.so"]);
        Assert.Equal(AlertKinds.ProgramRemoved, findings["runtimes/native.so"]);
    }

    [Fact]
    public void An_edited_manifest_or_another_key_is_refused()
    {
        Publish();
        var path = Path.Combine(_program, ProgramManifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"build 7\"", "\"build 8\"", StringComparison.Ordinal));
        var edited = ProgramManifest.Load(_program)!;
        Assert.False(edited.SignatureValid());
        Assert.Equal(AlertKinds.ManifestInvalid, Assert.Single(ProgramCheck.Run(_program, edited, null)).Kind);

        // an attacker re-signs the tree with their own key: valid signature, untrusted key
        InstanceKey.Create(_dir.File("attacker.key"));
        using var attacker = InstanceKey.Load(_dir.File("attacker.key"));
        ProgramManifest.Create(_program, "build 7", attacker).Save(_program);
        var resigned = ProgramManifest.Load(_program)!;
        Assert.True(resigned.SignatureValid());
        Assert.Contains("does not trust", Assert.Single(ProgramCheck.Run(_program, resigned, _key.PublicKey)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_key_wins_over_the_pin_and_is_never_replaced_by_first_sight()
    {
        Publish();
        InstanceKey.Create(_dir.File("release.key"));
        using var release = InstanceKey.Load(_dir.File("release.key"));
        var file = new ManifestPin(_dir.File("pin.pub"));
        Assert.True(file.PinIfFirst(ProgramManifest.Load(_program))); // pinned earlier, trust on first use
        var pin = new ManifestPin(_dir.File("pin.pub"), release.PublicKey);
        Assert.True(pin.IsConfigured);
        Assert.False(pin.PinIfFirst(ProgramManifest.Load(_program)));
        Assert.Equal(release.PublicKey, pin.Load());
        Assert.Contains("does not trust", Assert.Single(ProgramCheck.Run(_program, ProgramManifest.Load(_program), pin.Load())).Detail, StringComparison.Ordinal);
        ProgramManifest.Create(_program, "build 7", release).Save(_program);
        Assert.Empty(ProgramCheck.Run(_program, ProgramManifest.Load(_program), pin.Load()));
    }

    [Fact]
    public void A_deleted_manifest_is_a_finding_once_a_key_is_pinned()
    {
        Publish();
        var pin = new ManifestPin(_dir.File("pin.pub"));
        Assert.True(pin.PinIfFirst(ProgramManifest.Load(_program)));
        Assert.False(pin.PinIfFirst(ProgramManifest.Load(_program)));
        File.Delete(Path.Combine(_program, ProgramManifest.FileName));
        Assert.Empty(ProgramCheck.Run(_program, null, null)); // a development build: nothing to check against
        Assert.Equal(AlertKinds.ManifestInvalid, Assert.Single(ProgramCheck.Run(_program, null, pin.Load())).Kind);
    }
}
