using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Host.Config;
using Vigil.Ops;
using Vigil.Ops.Advisories;

namespace Vigil.Host.Cli;

/// <summary><c>vigil advisories check|trust|untrust|keys</c>: the signed security advisory feed.</summary>
public static class AdvisoriesCommands
{
    /// <summary>Exit codes of <c>check</c>: scripts and monitoring rely on them.</summary>
    public const int ExitCurrent = 0;
    public const int ExitOutdated = 2;
    public const int ExitBlind = 3;

    public static Command Create()
    {
        var group = new Command("advisories", "Security advisories: check this build against the signed feed, manage trusted feed keys");

        var source = new Option<string?>("--source") { Description = "Read the feed from this URL or file instead of the configured one" };
        var offline = new Option<bool>("--offline") { Description = "Do not fetch; assess against the feed already accepted" };
        var json = new Option<bool>("--json") { Description = "Print the assessment as JSON" };
        var check = new Command("check", $"Fetch and verify the feed, then say whether this build is named by an advisory (exit {ExitCurrent}: current, {ExitOutdated}: outdated, {ExitBlind}: feed refused, stale or missing)") { source, offline, json };
        check.WithContext(async (ctx, parse, ct) =>
        {
            var advisories = ctx.Get<AdvisoryService>();
            RefreshResult? refresh = parse.GetValue(offline) ? null : await advisories.RefreshAsync(parse.GetValue(source), Actor.CommandLine(), ct);
            var a = refresh?.Assessment ?? advisories.Assess();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(ToJson(a, refresh), VigilConfig.Json));
            }
            else
            {
                if (refresh?.Refusal is { } r) Console.Error.WriteLine($"vigil: feed from {refresh.Source} refused ({r.Code}): {r.Message}");
                if (refresh?.Outcome == RefreshOutcome.NotConfigured) Console.Error.WriteLine("vigil: no advisory source configured (advisories.source in vigil.json, or --source)");
                if (refresh?.Outcome is RefreshOutcome.Accepted or RefreshOutcome.Unchanged) Console.WriteLine($"feed       {refresh.Outcome.ToString().ToLowerInvariant()} from {refresh.Source}");
                Print(a);
            }
            return a.Outdated ? ExitOutdated
                : a.Feed != FeedHealth.Fresh || refresh?.Outcome is RefreshOutcome.Refused or RefreshOutcome.NotConfigured ? ExitBlind
                : ExitCurrent;
        });

        var keyFile = new Argument<FileInfo>("keyfile") { Description = "Public key file (from vigil-advisories keygen)" };
        var comment = new Option<string>("--comment") { Description = "Why this key is trusted (kept in the audit log)", DefaultValueFactory = _ => "trusted by admin" };
        var trust = new Command("trust", "Trust a further feed-signing key (an internal mirror's); audited") { keyFile, comment };
        trust.WithContext(async (ctx, parse, ct) =>
        {
            var file = parse.GetValue(keyFile)!;
            if (!file.Exists) throw new UserErrorException($"no such file: {file.FullName}");
            var key = await ctx.Get<AdvisoryService>().TrustAsync(await File.ReadAllTextAsync(file.FullName, ct), parse.GetValue(comment)!, Actor.CommandLine(), ct);
            Console.WriteLine($"trusted feed key {key.KeyId}");
            return 0;
        });

        var keyId = new Argument<string>("keyid");
        var untrust = new Command("untrust", "Stop trusting an admin-added feed key; audited") { keyId };
        untrust.WithContext(async (ctx, parse, ct) =>
        {
            if (!await ctx.Get<AdvisoryService>().UntrustAsync(parse.GetValue(keyId)!, Actor.CommandLine(), ct))
                throw new UserErrorException($"no admin-trusted key {parse.GetValue(keyId)} (the vendor key pinned in the build cannot be removed)");
            Console.WriteLine($"no longer trusting {parse.GetValue(keyId)}");
            return 0;
        });

        var keys = new Command("keys", "List the keys whose feed signatures are accepted");
        keys.WithContext((ctx, _, _) =>
        {
            foreach (var k in ctx.Get<AdvisoryService>().Keyring().Keys)
                Console.WriteLine($"{k.KeyId}  {k.Origin.ToString().ToLowerInvariant(),-6}  {k.AddedAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "build",-10}  {k.Comment}");
            return Task.FromResult(0);
        });

        group.Subcommands.Add(check);
        group.Subcommands.Add(trust);
        group.Subcommands.Add(untrust);
        group.Subcommands.Add(keys);
        return group;
    }

    /// <summary><c>vigil status</c>: one line, loud when outdated or blind.</summary>
    public static Task<bool> StatusSection(CliContext ctx, CancellationToken ct)
    {
        var a = ctx.Get<AdvisoryService>().Assess();
        Console.WriteLine($"advisories {Summary(a)}");
        foreach (var x in a.Affecting) Console.WriteLine($"           {x.Id} ({x.Severity.ToWire()}): {x.Summary}");
        return Task.FromResult(!a.Outdated && a.Feed == FeedHealth.Fresh);
    }

    public static string Summary(AdvisoryAssessment a)
    {
        var feed = a.FeedSerial is { } serial
            ? $"feed serial {serial}, refreshed {Time(a.LastRefresh)}"
            : "no verified feed";
        var state = a.Outdated
            ? $"OUTDATED ({a.Worst!.Value.ToWire()}): build {a.BuildNumber} is named by {string.Join(", ", a.Affecting.Select(x => x.Id))}; {(a.UpgradeTo is { } to ? $"upgrade to build {to} or later" : "no fixed build yet")}"
            : a.Feed == FeedHealth.Fresh ? $"current: build {a.BuildNumber} is named by no advisory" : $"{a.Word}: cannot tell whether build {a.BuildNumber} is affected";
        var error = a.LastError is null ? "" : $"; last error {Time(a.LastErrorAt)}: {a.LastError}";
        return $"{state} ({feed}{error})";
    }

    private static void Print(AdvisoryAssessment a)
    {
        Console.WriteLine($"build      {a.BuildNumber}");
        Console.WriteLine($"feed       {(a.FeedSerial is { } s ? $"serial {s}, published {Time(a.FeedPublished)}, refreshed {Time(a.LastRefresh)} ({a.Feed.ToString().ToLowerInvariant()})" : "none accepted")}");
        if (a.LastError is not null) Console.WriteLine($"last error {Time(a.LastErrorAt)}: {a.LastError}");
        Console.WriteLine($"state      {a.Word}{(a.Worst is { } w ? $" ({w.ToWire()})" : "")}");
        foreach (var x in a.Affecting)
            Console.WriteLine($"  {x.Id}  {x.Severity.ToWire(),-8}  builds {x.AffectedFrom}-{x.AffectedTo}  {(x.FixedIn is { } f ? $"fixed in {f}" : "no fix yet")}  {x.Summary}");
        if (a.UpgradeTo is { } to) Console.WriteLine($"upgrade to build {to} or later");
    }

    private static object ToJson(AdvisoryAssessment a, RefreshResult? r) => new
    {
        a.BuildNumber,
        State = a.Word,
        Feed = a.Feed.ToString().ToLowerInvariant(),
        a.FeedSerial,
        a.FeedPublished,
        a.LastRefresh,
        a.LastError,
        Worst = a.Worst?.ToWire(),
        a.UpgradeTo,
        Refresh = r is null ? null : new { Outcome = r.Outcome.ToString().ToLowerInvariant(), r.Source, Refusal = r.Refusal?.Code, Message = r.Refusal?.Message },
        Affecting = a.Affecting.Select(x => new { x.Id, Severity = x.Severity.ToWire(), x.AffectedFrom, x.AffectedTo, x.FixedIn, x.Summary, x.Published }),
    };

    public static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
}
