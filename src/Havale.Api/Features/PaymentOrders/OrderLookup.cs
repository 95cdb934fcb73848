using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>What every order call needs before its own rules: the path's order id and the deposit with its people.</summary>
public static class OrderLookup
{
    public const string NoSuchOrder = "no such order on this deposit";

    /// <summary>The route takes any text so that the access check runs first; a non-number is simply not an order.</summary>
    public static long OrderId(string request)
        => long.TryParse(request, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ApiProblem(ErrorCode.NotFound, NoSuchOrder);

    /// <summary>The path's deposit; the access check has already found it actable, so it exists.</summary>
    public static async Task<Deposit> DepositAsync(HavaleDb db, string deposit, CancellationToken cancellationToken)
        => await db.Deposits.AsNoTracking().Include(known => known.Members).SingleOrDefaultAsync(known => known.Number == deposit, cancellationToken)
           ?? throw new ApiProblem(ErrorCode.NotFound, "no such deposit");

    public static async Task<PaymentOrder> OrderAsync(HavaleDb db, string deposit, long orderId, CancellationToken cancellationToken)
        => await db.PaymentOrders.AsNoTracking().SingleOrDefaultAsync(order => order.Id == orderId && order.DepositNumber == deposit, cancellationToken)
           ?? throw new ApiProblem(ErrorCode.NotFound, NoSuchOrder);

    /// <summary>Signing and paying are a person's own acts: only their own authorization-code token does them.</summary>
    public static void RequirePersonalToken(FinnotechGrant grant)
    {
        if (grant.Type != FinnotechTokenType.Code)
        {
            throw new ApiProblem(ErrorCode.Forbidden, "signing and paying take the signatory's own authorization-code token");
        }
    }

    public static void AddHistory(HavaleDb db, long orderId, OrderAction action, string nid, DateTimeOffset nowUtc, string? description = null)
        => db.OrderHistory.Add(new OrderHistoryEntry { OrderId = orderId, Action = action, Nid = nid, AtUtc = nowUtc, Description = description });

    /// <summary>
    /// A write's answer, the order as the write leaves it: said before the write commits, so that it is read inside the
    /// write's transaction and stored with it (<see cref="WriteAnswers"/>).
    /// </summary>
    public static WriteAnswer<JsonHttpResult<SuccessEnvelope<OrderView>>> PrepareOrderAnswer(HttpContext context, HavaleDb db, string deposit, long orderId)
        => WriteAnswers.Prepare(context, async cancellationToken =>
        {
            var view = await OrderReader.FindAsync(db, DepositNumber.Parse(deposit), orderId, cancellationToken)
                       ?? throw new InvariantViolationException("invariant failed: an order just written can be read back");
            return Envelopes.Ok(context, view);
        });
}
