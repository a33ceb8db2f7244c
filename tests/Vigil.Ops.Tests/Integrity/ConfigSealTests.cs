using Vigil.Ops.Integrity;
using Vigil.Ops.Tests.Infrastructure;
using Vigil.Security.Keys;

namespace Vigil.Ops.Tests.Integrity;

public sealed class ConfigSealTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_config_changed_without_renewing_its_seal_is_named()
    {
        InstanceKey.Create(_dir.File("instance.key"));
        using var key = InstanceKey.Load(_dir.File("instance.key"));
        var config = _dir.File("vigil.json");
        var seal = _dir.File(ConfigSeal.FileName);
        File.WriteAllText(config, "{\"hostname\":\"a\"}");
        Assert.Contains("no valid seal", ConfigSeal.Check(config, seal, key.PublicKey), StringComparison.Ordinal);

        ConfigSeal.Write(config, seal, key);
        Assert.Null(ConfigSeal.Check(config, seal, key.PublicKey));

        File.WriteAllText(config, "{\"hostname\":\"b\"}");
        Assert.Contains("changed outside Vigil", ConfigSeal.Check(config, seal, key.PublicKey), StringComparison.Ordinal);

        // renewing the seal needs the instance key: a seal signed by anyone else does not count
        InstanceKey.Create(_dir.File("other.key"));
        using var other = InstanceKey.Load(_dir.File("other.key"));
        ConfigSeal.Write(config, seal, other);
        Assert.Contains("not signed by this instance", ConfigSeal.Check(config, seal, key.PublicKey), StringComparison.Ordinal);
    }
}
