using Vigil.Core.Addressing;
using Vigil.Core.Model;
using Vigil.Core.Storage;

namespace Vigil.Core.Tests;

/// <summary>Unit tests of the resolver alone, over a small in-memory directory.</summary>
public sealed class RecipientResolverTests
{
    private readonly InMemoryDirectory _dir = new();
    private RecipientResolver Resolver => new(_dir);
    private Task<RecipientResolution> Resolve(string a) => Resolver.ResolveAsync(EmailAddress.Parse(a), CancellationToken.None);

    [Fact]
    public async Task Exact_account_plus_tag_and_unknown()
    {
        Assert.Equal([1L], (await Resolve("BOB@local.test")).AccountIds);
        Assert.Equal([1L], (await Resolve("bob+anything@local.test")).AccountIds);
        Assert.Equal(RecipientKind.Unknown, (await Resolve("nobody@local.test")).Kind);
        Assert.Equal(RecipientKind.NotLocalDomain, (await Resolve("bob@elsewhere.test")).Kind);
    }

    [Fact]
    public async Task Aliases_expand_recursively_dedupe_and_collect_remote_targets()
    {
        _dir.Aliases["team@local.test"] = ["bob@local.test", "staff@local.test", "ext@partner.test"];
        _dir.Aliases["staff@local.test"] = ["bob@local.test", "carol@local.test"];
        var r = await Resolve("team@local.test");
        Assert.Equal([1L, 2L], r.AccountIds.Order());
        Assert.Equal(["ext@partner.test"], r.RemoteTargets.Select(t => t.ToString()));
    }

    [Fact]
    public async Task Catch_all_only_applies_to_unknown_local_parts_and_loops_terminate()
    {
        _dir.Aliases["*@local.test"] = ["carol@local.test"];
        Assert.Equal([2L], (await Resolve("random@local.test")).AccountIds);
        Assert.Equal([1L], (await Resolve("bob@local.test")).AccountIds);
        _dir.Aliases["a@local.test"] = ["b@local.test"];
        _dir.Aliases["b@local.test"] = ["a@local.test"];
        _dir.Aliases.Remove("*@local.test");
        Assert.Equal(RecipientKind.Unknown, (await Resolve("a@local.test")).Kind);
    }
}
