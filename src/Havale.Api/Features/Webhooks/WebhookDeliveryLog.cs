using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.Webhooks;

/// <summary>An endpoint's delivery log, and sending one delivery again.</summary>
public static class WebhookDeliveryLog
{
    public static async Task<Results<JsonHttpResult<SuccessEnvelope<List<DeliveryView>>>, JsonHttpResult<FailureEnvelope>>> ListAsync(
        HttpContext context, long endpointId, int? limit, FinnotechGrant grant, HavaleDb db, CancellationToken cancellationToken)
    {
        var take = limit ?? WebhookLimits.DeliveryLogPageMax;
        if (take is < 1 or > WebhookLimits.DeliveryLogPageMax)
        {
            throw ApiProblem.Field("limit", $"must be between 1 and {WebhookLimits.DeliveryLogPageMax}");
        }
        if (!await db.WebhookEndpoints.AnyAsync(endpoint => endpoint.Id == endpointId && endpoint.ClientId == grant.ClientId, cancellationToken))
        {
            return WebhookRegistration.NotFound(context);
        }
        var lines = await Lines(db.WebhookDeliveries.Where(delivery => delivery.EndpointId == endpointId).OrderByDescending(delivery => delivery.Id)
            .Take(take), db).ToListAsync(cancellationToken);
        lines.Sort((left, right) => right.Delivery.Id.CompareTo(left.Delivery.Id));
        return Envelopes.Ok(context, lines.Select(View).ToList());
    }

    public static async Task<Results<JsonHttpResult<SuccessEnvelope<DeliveryView>>, JsonHttpResult<FailureEnvelope>>> RedeliverAsync(
        HttpContext context, long endpointId, long deliveryId, FinnotechGrant grant, HavaleDb db, WebhookOptions options,
        CancellationToken cancellationToken)
    {
        var nowUtc = options.WallClock.GetUtcNow();
        // A table named inside the query's lambda is a local: an extension property may not appear in an expression tree.
        var endpoints = db.WebhookEndpoints;
        var owned = db.WebhookDeliveries.Where(delivery => delivery.Id == deliveryId && delivery.EndpointId == endpointId
            && endpoints.Any(endpoint => endpoint.Id == endpointId && endpoint.ClientId == grant.ClientId));
        // A delivery in flight right now is left to finish; redelivering it again after is the caller's choice.
        var reset = await owned.ExecuteUpdateAsync(update => update
            .SetProperty(delivery => delivery.Status, DeliveryStatus.Pending)
            .SetProperty(delivery => delivery.NextAttemptUtc, nowUtc)
            .SetProperty(delivery => delivery.GiveUpUtc, nowUtc.AddSeconds(options.RetryWindowSeconds)), cancellationToken);
        if (reset == 0)
        {
            return Envelopes.Fail(context, ErrorCode.NotFound, "deliveryId: this endpoint has no such delivery");
        }
        var line = await Lines(db.WebhookDeliveries.Where(delivery => delivery.Id == deliveryId), db).SingleAsync(cancellationToken);
        return Envelopes.Ok(context, View(line));
    }

    private sealed record Line(WebhookDelivery Delivery, string EventId, string EventType);

    private static IQueryable<Line> Lines(IQueryable<WebhookDelivery> deliveries, HavaleDb db)
        => from delivery in deliveries.AsNoTracking()
           join outboxEvent in db.WebhookEvents.AsNoTracking() on delivery.EventId equals outboxEvent.Id
           select new Line(delivery, outboxEvent.PublicId, outboxEvent.Type);

    private static DeliveryView View(Line line)
    {
        var delivery = line.Delivery;
        return new DeliveryView(delivery.Id, line.EventId, line.EventType, delivery.Status.ToString(), delivery.Attempts,
            delivery.LastResponseStatus, delivery.LastLatencyMs, delivery.LastError, WebhookEndpointView.Utc(delivery.LastAttemptUtc),
            delivery.Status == DeliveryStatus.Pending ? WebhookEndpointView.Utc(delivery.NextAttemptUtc) : null,
            WebhookEndpointView.Utc(delivery.CreatedUtc)!);
    }
}
