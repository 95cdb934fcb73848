
namespace Havale.Api.Features.PaymentOrders;

/// <summary>What a caller does to an order; each move is allowed only from the statuses <see cref="OrderTransitions"/> names.</summary>
public enum OrderMove
{
    Edit,
    Delete,
    Sign,
    Unsign,
    Pay,
}

/// <summary>
/// The order's state machine, in one place: which statuses each move starts from, and the status signatures put an
/// order in. Every guarded UPDATE of an order (edit, delete, sign, unsign, pay) selects its row through
/// <see cref="Movable"/>, so the rule that lets an UPDATE claim the row is the rule written here; an UPDATE that
/// touches no row means the move is not allowed (or another call moved the order first).
/// </summary>
public static class OrderTransitions
{
    private static readonly OrderStatus[] Unsigned = [OrderStatus.Created];
    private static readonly OrderStatus[] Signable = [OrderStatus.Created, OrderStatus.Pending, OrderStatus.Signed];
    private static readonly OrderStatus[] Payable = [OrderStatus.Signed];

    /// <summary>Edit and delete only while nobody has signed; signatures come and go until the order is paid; pay once, when fully signed.</summary>
    public static IReadOnlyList<OrderStatus> From(OrderMove move) => move switch
    {
        OrderMove.Edit => Unsigned,
        OrderMove.Delete => Unsigned,
        OrderMove.Sign => Signable,
        OrderMove.Unsign => Signable,
        OrderMove.Pay => Payable,
    };

    public static bool Allows(OrderMove move, OrderStatus status) => From(move).Contains(status);

    /// <summary>The deposit's order, if it is in a status the move starts from.</summary>
    public static IQueryable<PaymentOrder> Movable(this IQueryable<PaymentOrder> orders, string deposit, long orderId, OrderMove move)
    {
        var from = From(move);
        return orders.Where(order => order.Id == orderId && order.DepositNumber == deposit && from.Contains(order.Status));
    }

    /// <summary>Where a sign or unsign leaves the order: no signature, some, or as many as the deposit requires.</summary>
    public static OrderStatus AfterSignatures(int signatures, int required)
        => signatures == 0 ? OrderStatus.Created : signatures < required ? OrderStatus.Pending : OrderStatus.Signed;
}
