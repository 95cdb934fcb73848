using Havale.Api.Features.Webhooks;
using Havale.Client.Webhooks;

namespace Havale.Api.Tests.Webhooks;

/// <summary>Havale's signer and SSRF rules on their own: the Standard Webhooks test vector, secrets, rotation, addresses.</summary>
public sealed class WebhookSigningTests
{
    [Fact]
    public void the_signer_reproduces_the_standard_webhooks_test_vector()
        => Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSigner.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""));

    [Fact]
    public void a_new_secret_is_whsec_and_the_base64_of_32_random_bytes()
    {
        var secret = WebhookSigner.NewSecret();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True(WebhookSigner.IsWellFormedSecret(secret));
        Assert.NotEqual(secret, WebhookSigner.NewSecret());
    }

    [Theory]
    [InlineData(23, false)]
    [InlineData(24, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void a_seeded_secret_must_hold_24_to_64_bytes(int bytes, bool isWellFormed)
        => Assert.Equal(isWellFormed, WebhookSigner.IsWellFormedSecret("whsec_" + Convert.ToBase64String(new byte[bytes])));

    [Fact]
    public void during_a_rotation_both_secrets_sign_and_after_it_only_the_new_one()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var endpoint = new WebhookEndpoint
        {
            ClientId = "c", Url = "http://127.0.0.1/", EventTypes = ",pol.payment.done,", IsEnabled = true, CreatedUtc = now,
            Secret = WebhookSigner.NewSecret(), PreviousSecret = WebhookSigner.NewSecret(), PreviousSecretExpiresUtc = now.AddHours(1),
        };
        const string Body = """{"a":1}""";
        var during = WebhookSigner.SignatureHeader(endpoint, "evt_1", now.ToUnixTimeSeconds(), Body, now);
        var after = WebhookSigner.SignatureHeader(endpoint, "evt_1", now.ToUnixTimeSeconds(), Body, now.AddHours(1));

        Assert.Equal(2, during.Split(' ').Length);
        Assert.Equal(WebhookVerification.Valid, Verifier(endpoint.Secret, now).Verify("evt_1", $"{now.ToUnixTimeSeconds()}", during, Body));
        Assert.Equal(WebhookVerification.Valid, Verifier(endpoint.PreviousSecret, now).Verify("evt_1", $"{now.ToUnixTimeSeconds()}", during, Body));
        Assert.Single(after.Split(' '));
        Assert.Equal(WebhookVerification.NoMatchingSignature,
            Verifier(endpoint.PreviousSecret, now).Verify("evt_1", $"{now.ToUnixTimeSeconds()}", after, Body));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void inside_addresses_are_not_public(string address)
        => Assert.False(WebhookAddressRules.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2001:4860:4860::8888")]
    public void public_addresses_are_public(string address)
        => Assert.True(WebhookAddressRules.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void the_sandbox_allows_loopback_and_nothing_else_inside()
    {
        var sandbox = new WebhookAddressRules(allowsLoopback: true);

        Assert.True(sandbox.Allows(IPAddress.Loopback));
        Assert.True(sandbox.Allows(IPAddress.IPv6Loopback));
        Assert.False(sandbox.Allows(IPAddress.Parse("10.0.0.1")));
        Assert.False(sandbox.Allows(IPAddress.Parse("169.254.169.254")));
        Assert.False(new WebhookAddressRules(allowsLoopback: false).Allows(IPAddress.Loopback));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://[::1]/hook")]
    public async Task outside_the_sandbox_a_loopback_url_or_a_name_resolving_to_loopback_is_refused_at_registration(string url)
    {
        var (refusal, _) = await new WebhookAddressRules(allowsLoopback: false).CheckAsync(url, CancellationToken.None);

        Assert.Equal(UrlRefusal.AddressNotPublic, refusal);
    }

    /// <summary>
    /// The connect-time check is what stops DNS rebinding: a name that passed registration is resolved again at every
    /// connection and refused if it now points inside. Here "localhost" stands for such a name.
    /// </summary>
    [Fact]
    public async Task outside_the_sandbox_the_connection_itself_refuses_a_name_that_resolves_inside()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        using var production = new HttpClient(new SocketsHttpHandler { ConnectCallback = new WebhookAddressRules(allowsLoopback: false).ConnectAsync });
        using var sandbox = new HttpClient(new SocketsHttpHandler { ConnectCallback = new WebhookAddressRules(allowsLoopback: true).ConnectAsync });

        receiver.Verifier = new WebhookVerifier(WebhookSigner.NewSecret());

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => production.PostAsync($"http://localhost:{port}/hook", new StringContent("{}")));
        var receivedWhileRefused = receiver.Received.Count;
        using var allowed = await sandbox.PostAsync($"http://127.0.0.1:{port}/hook",
            new StringContent("""{"id":"evt_x","type":"t","data":{}}"""));

        Assert.Contains("may not call", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, receivedWhileRefused);
        // Reached, and refused by the receiver only because the request is unsigned.
        Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        Assert.Single(receiver.Received);
    }

    private static WebhookVerifier Verifier(string secret, DateTimeOffset now) => new(secret, clock: new FixedClock(now));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
