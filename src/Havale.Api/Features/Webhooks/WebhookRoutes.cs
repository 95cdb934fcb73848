using Havale.Api.Auth;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// Havale's own routes (not Finnotech's): a client manages its webhook endpoints and reads their delivery logs with
/// a client-credential token issued to the path's client. Ownership is part of every query's WHERE, so another
/// client's endpoint answers exactly like one that does not exist.
/// </summary>
public static class WebhookRoutes
{
    public const string Base = "/havale/v1/clients/{clientId}/webhooks";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(Base).WithTags("Webhooks").RequireFinnotechClientCredential();
        group.MapPost("", WebhookRegistration.CreateAsync)
            .WithSummary("Registers an endpoint; the answer carries its signing secret, shown this once.");
        group.MapGet("", WebhookRegistration.ListAsync).WithSummary("The client's endpoints.");
        group.MapGet("/{endpointId:long}", WebhookRegistration.ViewAsync).WithSummary("One endpoint, and whether Havale disabled it.");
        group.MapPatch("/{endpointId:long}", WebhookRegistration.UpdateAsync)
            .WithSummary("Changes the URL, the event types or enabled; enabling again clears a disable for failures.");
        group.MapDelete("/{endpointId:long}", WebhookRegistration.DeleteAsync).WithSummary("Removes the endpoint and its delivery log.");
        group.MapPost("/{endpointId:long}/rotate-secret", WebhookRegistration.RotateAsync)
            .WithSummary("A new secret, shown once; the previous one keeps signing beside it for the overlap.");
        group.MapGet("/{endpointId:long}/deliveries", WebhookDeliveryLog.ListAsync)
            .WithSummary("The endpoint's deliveries, newest first: status, attempts, last answer and latency, next attempt.");
        group.MapPost("/{endpointId:long}/deliveries/{deliveryId:long}/redeliver", WebhookDeliveryLog.RedeliverAsync)
            .WithSummary("Sends a delivery again now, with a fresh retry window.");
        return routes;
    }
}
