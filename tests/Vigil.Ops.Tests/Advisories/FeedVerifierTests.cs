using System.Text;
using Vigil.Ops.Advisories;
using Vigil.Ops.Signing;
using Vigil.Ops.Tests.Infrastructure;

namespace Vigil.Ops.Tests.Advisories;

public class FeedVerifierTests
{
    private static readonly Advisory Critical = FeedMaker.Advisory("VSA-2026-0001", AdvisorySeverity.Critical, 1, 40);

    [Fact]
    public void A_feed_signed_by_a_trusted_key_is_accepted()
    {
        using var maker = new FeedMaker();
        var refusal = FeedVerifier.Verify(maker.Sign(3, Critical), new AdvisoryKeyring([maker.Trusted]), out var verified);
        Assert.Null(refusal);
        Assert.Equal(3, verified.Feed.Serial);
        Assert.Equal(maker.KeyId, verified.Key.KeyId);
    }

    [Fact]
    public void Every_single_flipped_byte_anywhere_in_the_signed_file_is_refused()
    {
        using var maker = new FeedMaker();
        var signed = maker.Sign(3, Critical);
        var keyring = new AdvisoryKeyring([maker.Trusted]);
        for (var i = 0; i < signed.Length; i++)
        {
            var tampered = (byte[])signed.Clone();
            tampered[i] ^= 0x01;
            var refusal = FeedVerifier.Verify(tampered, keyring, out _);
            Assert.True(refusal is not null, $"flipping byte {i} ('{(char)signed[i]}') was accepted");
        }
    }

    [Fact]
    public void A_changed_advisory_inside_the_payload_fails_the_signature()
    {
        using var maker = new FeedMaker();
        SignedEnvelope.TryParse(maker.Sign(3, Critical), out var envelope, out _);
        var payload = Encoding.UTF8.GetString(envelope.Payload).Replace("\"affectedTo\": 40", "\"affectedTo\": 1", StringComparison.Ordinal);
        Assert.NotEqual(Encoding.UTF8.GetString(envelope.Payload), payload);
        var forged = (envelope with { Payload = Encoding.UTF8.GetBytes(payload) }).ToJson();
        var refusal = FeedVerifier.Verify(forged, new AdvisoryKeyring([maker.Trusted]), out _);
        Assert.Equal(FeedRefusalReason.BadSignature, refusal!.Reason);
    }

    [Fact]
    public void A_feed_signed_by_an_untrusted_key_is_refused()
    {
        using var trusted = new FeedMaker();
        using var stranger = new FeedMaker();
        var refusal = FeedVerifier.Verify(stranger.Sign(3, Critical), new AdvisoryKeyring([trusted.Trusted]), out _);
        Assert.Equal(FeedRefusalReason.UnknownKey, refusal!.Reason);
        Assert.Contains(stranger.KeyId, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stranger_claiming_a_trusted_key_id_fails_the_signature()
    {
        using var trusted = new FeedMaker();
        using var stranger = new FeedMaker();
        SignedEnvelope.TryParse(stranger.Sign(3, Critical), out var envelope, out _);
        var relabelled = (envelope with { KeyId = trusted.KeyId }).ToJson();
        var refusal = FeedVerifier.Verify(relabelled, new AdvisoryKeyring([trusted.Trusted]), out _);
        Assert.Equal(FeedRefusalReason.BadSignature, refusal!.Reason);
    }

    [Fact]
    public void A_signature_made_for_another_kind_of_message_is_not_a_feed_signature()
    {
        using var maker = new FeedMaker();
        SignedEnvelope.TryParse(maker.Sign(3, Critical), out var envelope, out _);
        var asHeartbeat = (envelope with { Format = MessageFormats.Heartbeat }).ToJson();
        Assert.Equal(FeedRefusalReason.Malformed, FeedVerifier.Verify(asHeartbeat, new AdvisoryKeyring([maker.Trusted]), out _)!.Reason);
    }

    [Fact]
    public void Non_canonical_base64_is_refused()
    {
        using var maker = new FeedMaker();
        var text = Encoding.UTF8.GetString(maker.Sign(3, Critical));
        var padded = text.Replace("\"signature\": \"", "\"signature\": \" ", StringComparison.Ordinal);
        Assert.NotNull(FeedVerifier.Verify(Encoding.UTF8.GetBytes(padded), new AdvisoryKeyring([maker.Trusted]), out _));
    }

    [Fact]
    public void An_older_serial_is_a_rollback()
    {
        using var maker = new FeedMaker();
        FeedVerifier.Verify(maker.Sign(4, Critical), new AdvisoryKeyring([maker.Trusted]), out var old);
        var state = new AdvisoryState(Serial: 5, PayloadSha256: "x");
        Assert.Equal(FeedRefusalReason.Rollback, FeedVerifier.CheckNotRolledBack(old, state)!.Reason);
    }

    [Fact]
    public void The_same_serial_with_other_content_is_refused_and_the_same_feed_is_not()
    {
        using var maker = new FeedMaker();
        var keyring = new AdvisoryKeyring([maker.Trusted]);
        FeedVerifier.Verify(maker.Sign(5, Critical), keyring, out var accepted);
        var state = new AdvisoryState(Serial: 5, PayloadSha256: accepted.PayloadSha256);
        Assert.Null(FeedVerifier.CheckNotRolledBack(accepted, state));
        FeedVerifier.Verify(maker.Sign(5), keyring, out var other);
        Assert.Equal(FeedRefusalReason.Rollback, FeedVerifier.CheckNotRolledBack(other, state)!.Reason);
    }

    [Fact]
    public void The_vendor_key_is_pinned_in_the_build()
    {
        Assert.NotNull(VendorKey.Pinned);
        Assert.Equal(KeyOrigin.Vendor, VendorKey.Pinned!.Origin);
        Assert.True(KeyId.IsWellFormed(VendorKey.Pinned.KeyId));
    }
}
