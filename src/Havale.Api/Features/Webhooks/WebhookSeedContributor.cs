using Havale.Api.Sandbox;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// The seed's webhook endpoints, inside the seed's transaction: each client's endpoints that do not exist yet (by URL)
/// are added; one that exists is left as calls have changed it. A bad entry fails the whole seed, naming the field.
/// </summary>
public sealed class WebhookSeedContributor(WebhookOptions options) : ISeedContributor
{
    public async Task ContributeAsync(HavaleDb db, ValidSeed seed, IReadOnlyList<ValidSeedDeposit> newDeposits, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        for (var i = 0; i < seed.Clients.Count; i++)
        {
            var client = seed.Clients[i];
            if (client.Webhooks.Count > WebhookLimits.EndpointsPerClientMax)
            {
                problems.Add($"clients[{i}].webhooks: at most {WebhookLimits.EndpointsPerClientMax} endpoints");
            }
            for (var j = 0; j < client.Webhooks.Count; j++)
            {
                problems.AddRange(Problems($"clients[{i}].webhooks[{j}]", client.Webhooks[j]));
            }
        }
        if (problems.Count > 0)
        {
            throw new SeedException(problems);
        }
        foreach (var client in seed.Clients.Where(client => client.Webhooks.Count > 0))
        {
            var known = await db.WebhookEndpoints.Where(endpoint => endpoint.ClientId == client.ClientId).Select(endpoint => endpoint.Url)
                .ToListAsync(cancellationToken);
            foreach (var webhook in client.Webhooks.Where(webhook => !known.Contains(new Uri(webhook.Url!).AbsoluteUri)))
            {
                db.WebhookEndpoints.Add(new WebhookEndpoint
                {
                    ClientId = client.ClientId!,
                    Url = new Uri(webhook.Url!).AbsoluteUri,
                    EventTypes = WebhookEventTypes.Store(webhook.EventTypes),
                    IsEnabled = webhook.Enabled,
                    Secret = webhook.Secret ?? WebhookSigner.NewSecret(),
                    CreatedUtc = options.WallClock.GetUtcNow(),
                });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static IEnumerable<string> Problems(string entry, SeedWebhook webhook)
    {
        if (webhook.Url is not { Length: <= WebhookLimits.UrlCharsMax } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            yield return $"{entry}.url: must be an absolute http or https URL of at most {WebhookLimits.UrlCharsMax} characters";
        }
        if (webhook.EventTypes.Count == 0)
        {
            yield return $"{entry}.eventTypes: name at least one event type";
        }
        foreach (var type in webhook.EventTypes.Where(type => !WebhookEventTypes.All.Contains(type, StringComparer.Ordinal)))
        {
            yield return $"{entry}.eventTypes: '{type}' is not an event type";
        }
        if (webhook.Secret is { } secret && !WebhookSigner.IsWellFormedSecret(secret))
        {
            yield return $"{entry}.secret: must be \"{WebhookSigner.SecretPrefix}\" and the base64 of 24 to 64 bytes";
        }
    }
}
