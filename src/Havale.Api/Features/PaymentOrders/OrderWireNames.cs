namespace Havale.Api.Features.PaymentOrders;

/// <summary>The order's enums as the seed writes them on the wire.</summary>
public static class OrderWireNames
{
    public static string WireName(this OrderAction action) => action switch
    {
        OrderAction.Create => "create",
        OrderAction.Edit => "edit",
        OrderAction.Sign => "sign",
        OrderAction.Unsign => "unsign",
        OrderAction.Pay => "pay",
        OrderAction.Delete => "delete",
    };

    public static string WireName(this TransferType type) => type switch
    {
        TransferType.Internal => "internal",
        TransferType.Paya => "paya",
    };

    public static string WireName(this OrderStatus status) => status switch
    {
        OrderStatus.Created => "created",
        OrderStatus.Pending => "pending",
        OrderStatus.Signed => "signed",
        OrderStatus.InProgress => "inprogress",
        OrderStatus.Deleted => "deleted",
    };
}
