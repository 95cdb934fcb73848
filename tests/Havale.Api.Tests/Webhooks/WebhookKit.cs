using Havale.Client.Webhooks;

namespace Havale.Api.Tests.Webhooks;

/// <summary>A gateway whose dispatcher polls fast and retries within a second, and whose resolver waits for the test.</summary>
public class WebhookGateway(TestDatabase database) : HavaleFactory(database, new Dictionary<string, string?>
{
    ["Havale:Rails:ResolveIntervalSeconds"] = "3600",
    ["Havale:Webhooks:PollIntervalMs"] = "50",
    ["Havale:Webhooks:RetryDelaySecondsFirst"] = "0.1",
    ["Havale:Webhooks:RetryDelaySecondsMax"] = "0.5",
    ["Havale:Webhooks:ConsecutiveFailuresMax"] = "6",
    ["Havale:Webhooks:AttemptTimeoutSeconds"] = "2",
    ["Havale:Webhooks:LeaseSeconds"] = "5",
});

public sealed class WebhookSqliteGateway() : WebhookGateway(TestDatabase.Sqlite);

public sealed class WebhookPostgresGateway() : WebhookGateway(TestDatabase.Postgres);

/// <summary>The webhook routes as a client calls them, with a client-credential token of its own.</summary>
public sealed class WebhookClient(HttpClient client, string clientId = Seed.DemoClient)
{
    public string Base => $"/havale/v1/clients/{clientId}/webhooks";

    public static async Task<WebhookClient> ForAsync(HavaleFactory gateway, string clientId = Seed.DemoClient, string secret = Seed.DemoSecret,
        string nid = Seed.DemoNid)
    {
        var token = await gateway.CreateJsonClient().ClientCredentialAsync(Scopes.IbanInquiry, clientId, secret, nid);
        return new WebhookClient(gateway.WithBearer(token.Value()), clientId);
    }

    public Task<Answer> CreateAsync(string json) => client.PostEnvelopeAsync(Base, json);

    public static string Body(string url, params string[] types) => JsonSerializer.Serialize(new { url, eventTypes = types });

    /// <summary>Registers a receiver for every event type and gives it the secret to verify with.</summary>
    public async Task<(long Id, string Secret)> RegisterAsync(WebhookReceiver receiver, params string[] types)
    {
        var created = (await CreateAsync(Body(receiver.Url, types.Length > 0 ? types : [.. Features.Webhooks.WebhookEventTypes.All]))).ShouldSucceed();
        var secret = created.Result.GetProperty("secret").GetString()!;
        receiver.Verifier = new WebhookVerifier(secret);
        return (created.Result.GetProperty("endpoint").GetProperty("id").GetInt64(), secret);
    }

    public Task<Answer> ViewAsync(long id) => client.GetEnvelopeAsync($"{Base}/{id}");

    public Task<Answer> ListAsync() => client.GetEnvelopeAsync(Base);

    public Task<Answer> UpdateAsync(long id, string json) => client.CallAsync(HttpMethod.Patch, $"{Base}/{id}", json);

    public Task<Answer> RotateAsync(long id, int overlapSeconds) => client.PostEnvelopeAsync($"{Base}/{id}/rotate-secret", $$"""{"overlapSeconds": {{overlapSeconds}}}""");

    public Task<Answer> DeliveriesAsync(long id) => client.GetEnvelopeAsync($"{Base}/{id}/deliveries");

    public Task<Answer> RedeliverAsync(long id, long deliveryId) => client.PostEnvelopeAsync($"{Base}/{id}/deliveries/{deliveryId}/redeliver", "{}");
}
