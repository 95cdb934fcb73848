using Havale.Api.Features.Webhooks;
using Havale.Api.Tests.Pol;
using Havale.Client.Webhooks;

namespace Havale.Api.Tests.Webhooks;

/// <summary>Registering endpoints over Havale's own routes: validation naming the field, SSRF refusals, ownership, rotation, disabling, the log, redeliver.</summary>
public abstract class WebhookRegistrationTests(WebhookGateway gateway)
{
    [Theory]
    [InlineData("""{"eventTypes": ["pol.payment.done"]}""", "url: is required")]
    [InlineData("""{"url": "not a url", "eventTypes": ["pol.payment.done"]}""", "url: must be an absolute URL")]
    [InlineData("""{"url": "ftp://127.0.0.1/hook", "eventTypes": ["pol.payment.done"]}""", "url: only http and https URLs are allowed")]
    [InlineData("""{"url": "http://user:pass@127.0.0.1/hook", "eventTypes": ["pol.payment.done"]}""", "url: must not carry a user name or password")]
    [InlineData("""{"url": "http://10.0.0.7/hook", "eventTypes": ["pol.payment.done"]}""", "url: the host is a loopback")]
    [InlineData("""{"url": "http://169.254.169.254/latest/meta-data", "eventTypes": ["pol.payment.done"]}""", "url: the host is a loopback")]
    [InlineData("""{"url": "http://[fd00::1]/hook", "eventTypes": ["pol.payment.done"]}""", "url: the host is a loopback")]
    [InlineData("""{"url": "http://127.0.0.1/hook"}""", "eventTypes: name at least one event type")]
    [InlineData("""{"url": "http://127.0.0.1/hook", "eventTypes": []}""", "eventTypes: name at least one event type")]
    [InlineData("""{"url": "http://127.0.0.1/hook", "eventTypes": ["pol.payment.lost"]}""", "eventTypes: 'pol.payment.lost' is not an event type")]
    [InlineData("""{"url": "http://127.0.0.1/hook", "eventTypes": ["pol.payment.done", "pol.payment.done"]}""", "eventTypes: names a type twice")]
    public async Task a_bad_registration_is_refused_with_a_validation_error_naming_the_field(string body, string message)
    {
        var webhooks = await WebhookClient.ForAsync(gateway);

        var answer = await webhooks.CreateAsync(body);

        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith(message, answer.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_url_at_the_length_limit_is_taken_and_one_past_it_is_refused()
    {
        var webhooks = await WebhookClient.ForAsync(gateway);
        const string Prefix = "http://127.0.0.1:9/";

        var atLimit = await webhooks.CreateAsync(WebhookClient.Body(Prefix + new string('a', WebhookLimits.UrlCharsMax - Prefix.Length), "pol.payment.done"));
        var pastLimit = await webhooks.CreateAsync(WebhookClient.Body(Prefix + new string('a', WebhookLimits.UrlCharsMax - Prefix.Length + 1), "pol.payment.done"));

        atLimit.ShouldSucceed();
        (await webhooks.UpdateAsync(atLimit.Result.GetProperty("endpoint").GetProperty("id").GetInt64(), """{"enabled": false}""")).ShouldSucceed();
        pastLimit.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith("url: must be at most", pastLimit.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_secret_is_shown_on_create_and_never_again_and_another_client_cannot_see_the_endpoint()
    {
        var webhooks = await WebhookClient.ForAsync(gateway);
        var other = await WebhookClient.ForAsync(gateway, Seed.OtherClient, Seed.OtherSecret, Seed.OtherNid);

        var created = (await webhooks.CreateAsync(WebhookClient.Body("http://127.0.0.1:9/created", "kilid.order.created"))).ShouldSucceed();
        var id = created.Result.GetProperty("endpoint").GetProperty("id").GetInt64();
        var viewed = (await webhooks.ViewAsync(id)).ShouldSucceed();
        var listed = (await webhooks.ListAsync()).ShouldSucceed();
        var byOther = await other.ViewAsync(id);
        var otherInPath = await gateway.WithBearer((await gateway.CreateJsonClient().ClientCredentialAsync(Havale.Api.Auth.Scopes.IbanInquiry)).Value())
            .GetEnvelopeAsync($"/havale/v1/clients/{Seed.OtherClient}/webhooks");
        (await webhooks.UpdateAsync(id, """{"enabled": false}""")).ShouldSucceed();

        Assert.True(WebhookSigner.IsWellFormedSecret(created.Result.GetProperty("secret").GetString()!));
        Assert.True(created.Result.GetProperty("endpoint").GetProperty("enabled").GetBoolean());
        Assert.DoesNotContain("whsec_", viewed.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", listed.Raw, StringComparison.Ordinal);
        Assert.Equal(["kilid.order.created"], viewed.Result.GetProperty("eventTypes").EnumerateArray().Select(type => type.GetString()).ToList());
        byOther.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        otherInPath.ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task the_sandbox_seed_gives_the_demo_client_its_disabled_example_endpoint()
    {
        var webhooks = await WebhookClient.ForAsync(gateway);

        var listed = (await webhooks.ListAsync()).ShouldSucceed().Result;

        var seeded = Assert.Single(listed.EnumerateArray(), endpoint => endpoint.GetProperty("url").GetString() == "http://127.0.0.1:8080/webhooks");
        Assert.False(seeded.GetProperty("enabled").GetBoolean());
        Assert.Equal(6, seeded.GetProperty("eventTypes").GetArrayLength());
    }

    [Fact]
    public async Task after_a_rotation_deliveries_carry_both_signatures_and_each_secret_verifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var webhooks = await WebhookClient.ForAsync(gateway);
        var (id, oldSecret) = await webhooks.RegisterAsync(receiver, WebhookEventTypes.PolPaymentDone);
        var rotated = (await webhooks.RotateAsync(id, 3600)).ShouldSucceed();
        var newSecret = rotated.Result.GetProperty("secret").GetString()!;
        receiver.Verifier = new WebhookVerifier(newSecret);
        var kit = new PolKit(gateway);
        await kit.StartDayAsync();

        (await PolKit.PayAsync(await kit.PayerAsync(), PolSeed.ExampleBody(PolSeed.MellatIban, 500_000))).ShouldSucceed();
        var received = Assert.Single(await receiver.WaitForAsync(1));
        (await webhooks.UpdateAsync(id, """{"enabled": false}""")).ShouldSucceed();

        Assert.NotEqual(oldSecret, newSecret);
        Assert.False(rotated.Result.GetProperty("endpoint").GetProperty("previousSecretExpiresUtc").ValueKind == System.Text.Json.JsonValueKind.Null);
        var signatures = received.Signature.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.All(signatures, signature => Assert.StartsWith("v1,", signature, StringComparison.Ordinal));
        Assert.Equal(WebhookVerification.Valid, received.Verification);
        Assert.Equal(WebhookEventTypes.PolPaymentDone, received.Type);
        Assert.Equal(WebhookVerification.Valid, new WebhookVerifier(oldSecret).Verify(received.Id, received.Timestamp, received.Signature, received.Body));
        Assert.Equal(WebhookVerification.NoMatchingSignature,
            new WebhookVerifier(oldSecret).Verify(received.Id, received.Timestamp, signatures[0], received.Body));
    }

    [Fact]
    public async Task an_endpoint_that_keeps_failing_is_disabled_and_says_so_and_a_redelivery_reaches_it_once_it_is_fixed()
    {
        var webhooks = await WebhookClient.ForAsync(gateway);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RefuseNext(int.MaxValue);
        var (id, _) = await webhooks.RegisterAsync(receiver, WebhookEventTypes.PolPaymentDone);
        var kit = new PolKit(gateway);
        await kit.StartDayAsync();
        (await PolKit.PayAsync(await kit.PayerAsync(), PolSeed.ExampleBody(PolSeed.MellatIban, 700_000))).ShouldSucceed();

        var view = await WaitAsync(async () => (await webhooks.ViewAsync(id)).ShouldSucceed().Result, endpoint => !endpoint.GetProperty("enabled").GetBoolean(),
            async () => (await webhooks.DeliveriesAsync(id)).Raw);
        var log = (await webhooks.DeliveriesAsync(id)).ShouldSucceed().Result;
        var line = Assert.Single(log.EnumerateArray());
        receiver.RefuseNext(0);
        (await webhooks.UpdateAsync(id, """{"enabled": true}""")).ShouldSucceed();
        var received = Assert.Single(await receiver.WaitForAsync(1));
        var after = await WaitAsync(async () => (await webhooks.DeliveriesAsync(id)).ShouldSucceed().Result[0],
            delivery => delivery.GetProperty("status").GetString() == "Delivered");
        var deliveryId = line.GetProperty("id").GetInt64();
        var redelivered = (await webhooks.RedeliverAsync(id, deliveryId)).ShouldSucceed().Result;
        var again = await WaitAsync(async () => (await webhooks.DeliveriesAsync(id)).ShouldSucceed().Result[0],
            delivery => delivery.GetProperty("attempts").GetInt32() == 8 && delivery.GetProperty("status").GetString() == "Delivered");
        (await webhooks.UpdateAsync(id, """{"enabled": false}""")).ShouldSucceed();

        Assert.StartsWith("disabled by Havale", view.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, view.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(6, line.GetProperty("attempts").GetInt32());
        Assert.Equal(503, line.GetProperty("responseStatus").GetInt32());
        Assert.Equal("Pending", line.GetProperty("status").GetString());
        Assert.True(line.GetProperty("latencyMs").GetInt32() >= 0);
        Assert.Equal(WebhookEventTypes.PolPaymentDone, received.Type);
        Assert.Equal(7, after.GetProperty("attempts").GetInt32());
        Assert.Equal(200, after.GetProperty("responseStatus").GetInt32());
        Assert.Equal(deliveryId, redelivered.GetProperty("id").GetInt64());
        Assert.Equal(2, receiver.Received.Count(one => one.Id == received.Id && one.Verification == WebhookVerification.Valid));
        Assert.Equal(200, again.GetProperty("responseStatus").GetInt32());
        Assert.Equal("NOT_FOUND", (await webhooks.RedeliverAsync(id, deliveryId + 1_000_000)).ErrorCode);
    }

    private static async Task<System.Text.Json.JsonElement> WaitAsync(Func<Task<System.Text.Json.JsonElement>> read,
        Func<System.Text.Json.JsonElement, bool> isDone, Func<Task<string>>? explain = null)
    {
        var value = await read();
        for (var i = 0; i < 300 && !isDone(value); i++)
        {
            await Task.Delay(50);
            value = await read();
        }
        Assert.True(isDone(value), value + (explain is null ? "" : " " + await explain()));
        return value;
    }
}

public sealed class WebhookRegistrationTests_on_sqlite(WebhookSqliteGateway gateway) : WebhookRegistrationTests(gateway), IClassFixture<WebhookSqliteGateway>;

public sealed class WebhookRegistrationTests_on_postgres(WebhookPostgresGateway gateway) : WebhookRegistrationTests(gateway), IClassFixture<WebhookPostgresGateway>;
