using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Havale.Api.Features.Webhooks;

/// <summary>Create, list, view, change, delete and rotate a client's webhook endpoints.</summary>
public static class WebhookRegistration
{
    public static async Task<JsonHttpResult<SuccessEnvelope<WebhookEndpointWithSecret>>> CreateAsync(HttpContext context,
        [FromBody] WebhookEndpointBody body, FinnotechGrant grant, HavaleDb db, WebhookAddressRules rules, WebhookOptions options,
        CancellationToken cancellationToken)
    {
        var url = await CheckUrlAsync(body.Url, rules, cancellationToken);
        var types = CheckEventTypes(body.EventTypes);
        if (await db.WebhookEndpoints.CountAsync(endpoint => endpoint.ClientId == grant.ClientId, cancellationToken) >= WebhookLimits.EndpointsPerClientMax)
        {
            throw new ApiProblem(ErrorCode.ValidationError, $"a client may register at most {WebhookLimits.EndpointsPerClientMax} webhook endpoints");
        }
        var endpoint = new WebhookEndpoint
        {
            ClientId = grant.ClientId,
            Url = url,
            EventTypes = WebhookEventTypes.Store(types),
            IsEnabled = body.Enabled ?? true,
            Secret = WebhookSigner.NewSecret(),
            CreatedUtc = options.WallClock.GetUtcNow(),
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return Envelopes.Ok(context, new WebhookEndpointWithSecret(WebhookEndpointView.Of(endpoint), endpoint.Secret));
    }

    public static async Task<JsonHttpResult<SuccessEnvelope<List<WebhookEndpointView>>>> ListAsync(HttpContext context, FinnotechGrant grant,
        HavaleDb db, CancellationToken cancellationToken)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(endpoint => endpoint.ClientId == grant.ClientId)
            .OrderBy(endpoint => endpoint.Id).ToListAsync(cancellationToken);
        return Envelopes.Ok(context, endpoints.Select(WebhookEndpointView.Of).ToList());
    }

    public static async Task<Results<JsonHttpResult<SuccessEnvelope<WebhookEndpointView>>, JsonHttpResult<FailureEnvelope>>> ViewAsync(
        HttpContext context, long endpointId, FinnotechGrant grant, HavaleDb db, CancellationToken cancellationToken)
        => await FindAsync(db, grant, endpointId, cancellationToken) is { } endpoint
            ? Envelopes.Ok(context, WebhookEndpointView.Of(endpoint))
            : NotFound(context);

    public static async Task<Results<JsonHttpResult<SuccessEnvelope<WebhookEndpointView>>, JsonHttpResult<FailureEnvelope>>> UpdateAsync(
        HttpContext context, long endpointId, [FromBody] WebhookEndpointBody body, FinnotechGrant grant, HavaleDb db, WebhookAddressRules rules,
        CancellationToken cancellationToken)
    {
        var url = body.Url is null ? null : await CheckUrlAsync(body.Url, rules, cancellationToken);
        var types = body.EventTypes is null ? null : CheckEventTypes(body.EventTypes);
        if (await FindAsync(db, grant, endpointId, cancellationToken) is not { } endpoint)
        {
            return NotFound(context);
        }
        endpoint.Url = url ?? endpoint.Url;
        endpoint.EventTypes = types is null ? endpoint.EventTypes : WebhookEventTypes.Store(types);
        if (body.Enabled is { } enabled)
        {
            endpoint.IsEnabled = enabled;
            if (enabled)
            {
                // Enabled again by its client: the failures that disabled it are forgiven, and its waiting deliveries resume.
                endpoint.DisabledReason = null;
                endpoint.ConsecutiveFailures = 0;
                endpoint.FailingSinceUtc = null;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return Envelopes.Ok(context, WebhookEndpointView.Of(endpoint));
    }

    public static async Task<Results<JsonHttpResult<SuccessEnvelope<WebhookEndpointView>>, JsonHttpResult<FailureEnvelope>>> DeleteAsync(
        HttpContext context, long endpointId, FinnotechGrant grant, HavaleDb db, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, grant, endpointId, cancellationToken) is not { } endpoint)
        {
            return NotFound(context);
        }
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return Envelopes.Ok(context, WebhookEndpointView.Of(endpoint));
    }

    public static async Task<Results<JsonHttpResult<SuccessEnvelope<WebhookEndpointWithSecret>>, JsonHttpResult<FailureEnvelope>>> RotateAsync(
        HttpContext context, long endpointId, [FromBody] RotateSecretBody? body, FinnotechGrant grant, HavaleDb db, WebhookOptions options,
        CancellationToken cancellationToken)
    {
        var overlapSeconds = body?.OverlapSeconds ?? WebhookLimits.RotationOverlapSecondsDefault;
        if (overlapSeconds is < 0 or > WebhookLimits.RotationOverlapSecondsMax)
        {
            throw ApiProblem.Field("overlapSeconds", $"must be between 0 and {WebhookLimits.RotationOverlapSecondsMax}");
        }
        if (await FindAsync(db, grant, endpointId, cancellationToken) is not { } endpoint)
        {
            return NotFound(context);
        }
        endpoint.PreviousSecret = overlapSeconds == 0 ? null : endpoint.Secret;
        endpoint.PreviousSecretExpiresUtc = overlapSeconds == 0 ? null : options.WallClock.GetUtcNow().AddSeconds(overlapSeconds);
        endpoint.Secret = WebhookSigner.NewSecret();
        await db.SaveChangesAsync(cancellationToken);
        return Envelopes.Ok(context, new WebhookEndpointWithSecret(WebhookEndpointView.Of(endpoint), endpoint.Secret));
    }

    /// <summary>The client's own endpoint, tracked for a change; another client's is not found, exactly like a missing one.</summary>
    public static Task<WebhookEndpoint?> FindAsync(HavaleDb db, FinnotechGrant grant, long endpointId, CancellationToken cancellationToken)
        => db.WebhookEndpoints.SingleOrDefaultAsync(endpoint => endpoint.Id == endpointId && endpoint.ClientId == grant.ClientId, cancellationToken);

    public static JsonHttpResult<FailureEnvelope> NotFound(HttpContext context)
        => Envelopes.Fail(context, ErrorCode.NotFound, "endpointId: this client has no such webhook endpoint");

    private static async Task<string> CheckUrlAsync(string? url, WebhookAddressRules rules, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw ApiProblem.Field("url", "is required");
        }
        if (url.Length > WebhookLimits.UrlCharsMax)
        {
            throw ApiProblem.Field("url", $"must be at most {WebhookLimits.UrlCharsMax} characters");
        }
        var (refusal, uri) = await rules.CheckAsync(url, cancellationToken);
        return refusal is { } refused ? throw ApiProblem.Field("url", WebhookAddressRules.Describe(refused)) : uri!.AbsoluteUri;
    }

    private static List<string> CheckEventTypes(List<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            throw ApiProblem.Field("eventTypes", "name at least one event type");
        }
        if (types.Count > WebhookEventTypes.All.Count)
        {
            throw ApiProblem.Field("eventTypes", $"has at most {WebhookEventTypes.All.Count} entries");
        }
        if (types.FirstOrDefault(type => !WebhookEventTypes.All.Contains(type, StringComparer.Ordinal)) is { } unknown)
        {
            throw ApiProblem.Field("eventTypes", $"'{Truncated(unknown)}' is not an event type; known: {string.Join(", ", WebhookEventTypes.All)}");
        }
        if (types.Distinct(StringComparer.Ordinal).Count() != types.Count)
        {
            throw ApiProblem.Field("eventTypes", "names a type twice");
        }
        return types;
    }

    private static string Truncated(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
