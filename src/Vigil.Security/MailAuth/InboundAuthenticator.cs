using Microsoft.Extensions.Logging;
using MimeKit;
using MimeKit.Cryptography;
using Vigil.Core.Addressing;
using Vigil.Core.Delivery;
using Vigil.Security.MailAuth.Dkim;
using Vigil.Security.MailAuth.Dmarc;
using Vigil.Security.MailAuth.Dns;
using Vigil.Security.MailAuth.Spf;
using static Vigil.Security.MailAuth.AuthenticationResultsField;
using Vigil.Core.Messages;

namespace Vigil.Security.MailAuth;

/// <summary>The inbound check the SMTP session calls at the end of DATA: SPF for the envelope
/// sender, every DKIM signature, the ARC chain, then DMARC for the From domain; the verdict carries
/// one Authentication-Results field with <see cref="MailAuthOptions.AuthservId"/> and removes any
/// incoming field that claims that id. p=reject refuses the message, p=quarantine files it as Junk.
/// Mail from an authenticated user is not checked (it is ours), only marked auth=pass.</summary>
public sealed partial class InboundAuthenticator : IInboundMessageCheck
{
    private readonly MailAuthOptions _options;
    private readonly string _authservId;
    private readonly SpfEvaluator _spf;
    private readonly DkimChecker _dkim;
    private readonly DnsDkimKeyLocator _keys;
    private readonly DmarcEvaluator _dmarc;
    private readonly ILogger<InboundAuthenticator> _logger;

    public InboundAuthenticator(IMailDns dns, MailAuthOptions options, string hostname, ILogger<InboundAuthenticator> logger, Func<int>? percentRoll = null)
    {
        _options = options;
        _authservId = options.AuthservId.Length > 0 ? options.AuthservId : hostname;
        _spf = new SpfEvaluator(dns, hostname);
        _keys = new DnsDkimKeyLocator(dns);
        _dkim = new DkimChecker(_keys, options);
        _dmarc = new DmarcEvaluator(dns, percentRoll);
        _logger = logger;
    }

    public string AuthservId => _authservId;

    public async Task<InboundVerdict> CheckAsync(InboundMessage message, CancellationToken ct)
    {
        var strip = ClaimsToBeFrom(_authservId);
        if (message.AuthenticatedUser is { } user)
        {
            var auth = Method("auth", "pass", null, ("smtp", "auth", user));
            return new InboundVerdict(InboundAction.Accept, null, Build(_authservId, [auth]), strip);
        }
        if (!_options.Enabled) return new InboundVerdict(InboundAction.Accept, null, "", strip);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.CheckTimeout);
        await using var content = await message.OpenContent(ct);
        var parsed = await TryParseAsync(content, ct);

        // A check that runs out of time is a temperror, never a reason to lose or refuse mail.
        var spf = await WithinTimeAsync(() => _spf.CheckAsync(message.Client, message.MailFrom, message.Helo, timeout.Token), new SpfOutcome(SpfResult.TempError, "", "timed out"), ct);
        IReadOnlyList<DkimOutcome> dkim = parsed is null ? [] : await WithinTimeAsync(() => _dkim.CheckAsync(parsed, timeout.Token), [new DkimOutcome("temperror", "", "", null, "", "timed out")], ct);
        var arc = parsed is null ? null : await WithinTimeAsync(() => CheckArcAsync(parsed, timeout.Token), Method("arc", "temperror", "timed out"), ct);
        var fromDomain = parsed is null ? null : FromDomain(parsed);
        var dmarc = await WithinTimeAsync(() => _dmarc.EvaluateAsync(fromDomain, spf, dkim, timeout.Token), new DmarcOutcome("temperror", fromDomain ?? "", null, "timed out"), ct);

        var results = new List<AuthenticationMethodResult>
        {
            message.MailFrom.Length > 0
                ? Method("spf", spf.Keyword, spf.Problem, ("smtp", "mailfrom", message.MailFrom))
                : Method("spf", spf.Keyword, spf.Problem, ("smtp", "helo", message.Helo)),
        };
        results.AddRange(dkim.Count == 0
            ? [Method("dkim", "none", null)]
            : dkim.Select(d => Method("dkim", d.Result, d.Problem, ("header", "d", d.Domain), ("header", "s", d.Selector), ("header", "i", d.Identity), ("header", "b", d.SignaturePrefix))));
        if (arc is not null) results.Add(arc);
        results.Add(Method("dmarc", dmarc.Result, DmarcComment(dmarc), ("header", "from", dmarc.FromDomain)));

        var action = dmarc.Result != "fail" ? InboundAction.Accept : dmarc.Disposition switch
        {
            DmarcPolicy.Reject when _options.RejectOnDmarcReject => InboundAction.Reject,
            DmarcPolicy.Reject or DmarcPolicy.Quarantine => InboundAction.Junk,
            _ => InboundAction.Accept,
        };
        LogChecked(_logger, message.Client.ToString(), message.MailFrom, spf.Keyword, string.Join(',', dkim.Select(d => d.Result)), dmarc.Result, dmarc.FromDomain, action.ToString());
        var reason = action == InboundAction.Reject
            ? $"Rejected by the DMARC policy of {dmarc.FromDomain}: {dmarc.Problem}"
            : null;
        return new InboundVerdict(action, reason, Build(_authservId, results), strip);
    }

    private static async Task<T> WithinTimeAsync<T>(Func<Task<T>> step, T onTimeout, CancellationToken session)
    {
        try
        {
            return await step();
        }
        catch (OperationCanceledException) when (!session.IsCancellationRequested)
        {
            return onTimeout;
        }
    }

    private async Task<AuthenticationMethodResult?> CheckArcAsync(MimeMessage message, CancellationToken ct)
    {
        if (!message.Headers.Contains(HeaderId.ArcSeal)) return null;
        try
        {
            var verifier = new ArcVerifier(_keys) { MinimumRsaKeyLength = _options.MinimumRsaKeyBits };
            var result = await verifier.VerifyAsync(message, ct);
            return Method("arc", result.Chain.ToString().ToLowerInvariant(), result.ChainErrors == 0 ? null : result.ChainErrors.ToString());
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or DkimKeyUnavailableException or DkimKeyMissingException)
        {
            return Method("arc", "fail", ex.Message);
        }
    }

    private static async Task<MimeMessage?> TryParseAsync(Stream content, CancellationToken ct)
    {
        try
        {
            // persistent: the parts stay on the (spooled) stream instead of being copied to memory.
            return await MimeLimits.ParseMessageAsync(content, persistent: true, ct);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>RFC 7489 §6.6.1: exactly one From field naming exactly one mailbox.</summary>
    private static string? FromDomain(MimeMessage message)
    {
        if (message.Headers.Count(h => h.Id == HeaderId.From) != 1) return null;
        var mailboxes = message.From.Mailboxes.ToList();
        if (mailboxes.Count != 1) return null;
        var address = mailboxes[0].Address;
        var at = address.LastIndexOf('@');
        return at > 0 && EmailAddress.TryNormaliseDomain(address[(at + 1)..], out var domain) ? domain : null;
    }

    private static string? DmarcComment(DmarcOutcome dmarc) => dmarc.RequestedPolicy is { } p
        ? $"{p} dis={(dmarc.Disposition ?? DmarcPolicy.None).ToString().ToLowerInvariant()}"
        : dmarc.Problem;

    [LoggerMessage(EventId = 3201, EventName = "mailauth.checked", Level = LogLevel.Information,
        Message = "client={Client} from=<{MailFrom}> spf={Spf} dkim={Dkim} dmarc={Dmarc} header.from={FromDomain} action={Action}")]
    private static partial void LogChecked(ILogger logger, string client, string mailFrom, string spf, string dkim, string dmarc, string fromDomain, string action);
}
