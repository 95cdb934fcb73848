using System.Globalization;
using Havale.Api.Rails.Pol;

namespace Havale.Api.Features.Webhooks;

/// <summary>A Pol payment's event data: transactionInquiry's fields for the payment, and where the money went.</summary>
public sealed record PolPaymentData(
    string? InquiryTrackId,
    string State,
    string? OriginKey,
    long AmountRials,
    string? DestinationNumber,
    string? Reason);

/// <summary>The events of Pol payments: done when the hold is posted, failed when it is voided (at once, or by recovery after a 408).</summary>
public static class PolEvents
{
    /// <summary>The event of a settlement just written; none for a payment no client made (the rail's own callers and tests).</summary>
    public static OutboxEvent? Settled(PolSettlement settlement)
    {
        if (settlement.Origin.ClientId is not { } clientId)
        {
            return null;
        }
        var data = new PolPaymentData(settlement.Origin.TrackId, settlement.IsPosted ? "DONE" : "FAILED", settlement.Origin.Reference,
            settlement.AmountRials, settlement.Origin.Counterparty, settlement.Note);
        return new OutboxEvent(clientId, settlement.IsPosted ? WebhookEventTypes.PolPaymentDone : WebhookEventTypes.PolPaymentFailed,
            ObjectKey(settlement.HoldId), data, settlement.NowUtc);
    }

    public static string ObjectKey(long holdId) => "pol:" + holdId.ToString(CultureInfo.InvariantCulture);
}
