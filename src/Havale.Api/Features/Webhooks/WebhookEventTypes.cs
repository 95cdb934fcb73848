namespace Havale.Api.Features.Webhooks;

/// <summary>Every event type Havale sends (docs/webhooks.md). An endpoint asking for any other is refused.</summary>
public static class WebhookEventTypes
{
    public const string PolPaymentDone = "pol.payment.done";
    public const string PolPaymentFailed = "pol.payment.failed";
    public const string KilidOrderPrefix = "kilid.order.";
    public const string KilidOrderCreated = "kilid.order.created";
    public const string KilidOrderPending = "kilid.order.pending";
    public const string KilidOrderSigned = "kilid.order.signed";
    public const string KilidOrderInProgress = "kilid.order.inprogress";
    public const string KilidOrderDone = "kilid.order.done";
    public const string KilidOrderDeleted = "kilid.order.deleted";
    public const string KilidDestinationSuccess = "kilid.destination.success";
    public const string KilidDestinationFailed = "kilid.destination.failed";
    public const string PayaCycleSettled = "paya.cycle.settled";

    public static readonly IReadOnlyList<string> All =
    [
        PolPaymentDone, PolPaymentFailed,
        KilidOrderCreated, KilidOrderPending, KilidOrderSigned, KilidOrderInProgress, KilidOrderDone, KilidOrderDeleted,
        KilidDestinationSuccess, KilidDestinationFailed,
        PayaCycleSettled,
    ];

    /// <summary>The stored form of an endpoint's list: ",a,b," so that SQL matches one type with LIKE '%,' || type || ',%'.</summary>
    public static string Store(IEnumerable<string> types) => "," + string.Join(',', types) + ",";

    public static IReadOnlyList<string> Read(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
