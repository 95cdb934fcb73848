using System.Globalization;

namespace Havale.Api.Features.Webhooks;

/// <summary>An endpoint as a client registers or changes it; on a change, what is null stays as it was.</summary>
public sealed record WebhookEndpointBody(string? Url, List<string>? EventTypes, bool? Enabled);

/// <summary>How long the previous secret keeps signing beside the new one; the default when absent.</summary>
public sealed record RotateSecretBody(int? OverlapSeconds);

/// <summary>An endpoint as the API shows it. The secret is never shown again after create and rotate.</summary>
public sealed record WebhookEndpointView(
    long Id,
    string Url,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? DisabledReason,
    int ConsecutiveFailures,
    string? FailingSinceUtc,
    string? PreviousSecretExpiresUtc,
    string CreatedUtc)
{
    public static WebhookEndpointView Of(WebhookEndpoint endpoint) => new(endpoint.Id, endpoint.Url, WebhookEventTypes.Read(endpoint.EventTypes),
        endpoint.IsEnabled, endpoint.DisabledReason, endpoint.ConsecutiveFailures, Utc(endpoint.FailingSinceUtc),
        Utc(endpoint.PreviousSecretExpiresUtc), Utc(endpoint.CreatedUtc)!);

    public static string? Utc(DateTimeOffset? instant) => instant?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>The answer of create and rotate: the endpoint and its new secret, shown this once.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpointView Endpoint, string Secret);

/// <summary>One line of an endpoint's delivery log.</summary>
public sealed record DeliveryView(
    long Id,
    string EventId,
    string EventType,
    string Status,
    int Attempts,
    int? ResponseStatus,
    int? LatencyMs,
    string? Error,
    string? LastAttemptUtc,
    string? NextAttemptUtc,
    string CreatedUtc);
