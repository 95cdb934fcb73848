using Havale.Client.Webhooks;

namespace Havale.Client.Tests;

/// <summary>The receiver's check, against the Standard Webhooks specification's published test vector.</summary>
public sealed class WebhookVerifierTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Timestamp = "1614265330";
    private const string Body = """{"test": 2432232314}""";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static WebhookVerifier At(long unixSeconds, string secret = Secret)
        => new(secret, clock: new FixedClock(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void the_specification_test_vector_verifies()
        => Assert.Equal(WebhookVerification.Valid, At(1614265330).Verify(Id, Timestamp, Signature, Body));

    [Fact]
    public void the_verifier_signs_the_test_vector_as_the_specification_does()
        => Assert.Equal(Signature, "v1," + At(1614265330).Sign(Id, Timestamp, Body));

    [Fact]
    public void a_modified_body_is_refused()
        => Assert.Equal(WebhookVerification.NoMatchingSignature, At(1614265330).Verify(Id, Timestamp, Signature, """{"test": 2432232315}"""));

    [Fact]
    public void another_message_id_is_refused()
        => Assert.Equal(WebhookVerification.NoMatchingSignature, At(1614265330).Verify("msg_other", Timestamp, Signature, Body));

    [Theory]
    [InlineData(1614265330 + 300, WebhookVerification.Valid)]
    [InlineData(1614265330 + 301, WebhookVerification.TimestampOutsideTolerance)]
    [InlineData(1614265330 - 300, WebhookVerification.Valid)]
    [InlineData(1614265330 - 301, WebhookVerification.TimestampOutsideTolerance)]
    public void a_timestamp_more_than_five_minutes_from_now_is_refused(long nowSeconds, WebhookVerification expected)
        => Assert.Equal(expected, At(nowSeconds).Verify(Id, Timestamp, Signature, Body));

    [Fact]
    public void one_matching_signature_among_several_is_enough_as_during_a_secret_rotation()
        => Assert.Equal(WebhookVerification.Valid, At(1614265330).Verify(Id, Timestamp, "v1,bm9wZQ== " + Signature, Body));

    [Fact]
    public void a_signature_under_another_secret_is_refused()
        => Assert.Equal(WebhookVerification.NoMatchingSignature,
            At(1614265330, "whsec_" + Convert.ToBase64String(new byte[24])).Verify(Id, Timestamp, Signature, Body));

    [Theory]
    [InlineData(null, Timestamp, Signature, WebhookVerification.MissingHeader)]
    [InlineData(Id, "", Signature, WebhookVerification.MissingHeader)]
    [InlineData(Id, Timestamp, null, WebhookVerification.MissingHeader)]
    [InlineData(Id, "16142x5330", Signature, WebhookVerification.BadTimestamp)]
    [InlineData(Id, Timestamp, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookVerification.NoMatchingSignature)]
    public void missing_or_malformed_headers_are_refused(string? id, string? timestamp, string? signature, WebhookVerification expected)
        => Assert.Equal(expected, At(1614265330).Verify(id, timestamp, signature, Body));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
