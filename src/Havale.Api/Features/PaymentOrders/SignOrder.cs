using Havale.Api.Auth;
using Havale.Api.Platform;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>Every way sign and unsign refuse, in the order the rules are checked.</summary>
public enum SignRefusal
{
    OrderClosed,
    NotInCeremonies,
    OutOfOrder,
    NotSignedByCaller,
}

/// <summary>
/// Signing, Havale's design of what Kilid does in its own app. The ceremonies say who signs and in which order:
/// nobody at order k signs while someone at a lower order has not. The first signature makes the order
/// <c>pending</c>, the required count <c>signed</c>; withdrawing one recounts. Each call first claims the order
/// with a guarded UPDATE, so concurrent signatures on one order are counted one after the other.
/// </summary>
public static class SignOrder
{
    private static readonly OrderStatus[] Signable = [OrderStatus.Created, OrderStatus.Pending, OrderStatus.Signed];

    public static async Task<IResult> SignAsync(HttpContext context, string deposit, string request, FinnotechGrant grant, HavaleDb db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        OrderLookup.RequirePersonalToken(grant);
        var signer = grant.Nid;
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ClaimAsync(db, deposit, orderId, Signable, nowUtc, cancellationToken))
        {
            return Refuse(context, SignRefusal.OrderClosed);
        }
        var ceremonies = await db.OrderCeremonies.AsNoTracking().Where(ceremony => ceremony.OrderId == orderId).ToListAsync(cancellationToken);
        var signed = await SignersAsync(db, orderId, cancellationToken);
        var own = ceremonies.SingleOrDefault(ceremony => ceremony.Nid == signer);
        // Someone named when the order was made who has since stopped being a signatory signs nothing.
        if (own is null || !account.Members.Any(member => member.Nid == signer && member.IsSignatory))
        {
            return Refuse(context, SignRefusal.NotInCeremonies);
        }
        if (signed.Contains(signer))
        {
            // Signing twice changes nothing: the claim above is rolled back with the transaction.
            return await OrderLookup.AnswerOrderAsync(context, db, deposit, orderId, cancellationToken);
        }
        if (ceremonies.Any(ceremony => ceremony.SigningOrder < own.SigningOrder && !signed.Contains(ceremony.Nid)))
        {
            return Refuse(context, SignRefusal.OutOfOrder);
        }
        db.OrderSignatures.Add(new OrderSignature { OrderId = orderId, Nid = signer, SignedUtc = nowUtc });
        OrderLookup.AddHistory(db, orderId, OrderAction.Sign, signer, nowUtc);
        await db.SaveChangesAsync(cancellationToken);
        await SetStatusAsync(db, orderId, signed.Count + 1, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await OrderLookup.AnswerOrderAsync(context, db, deposit, orderId, cancellationToken);
    }

    public static async Task<IResult> UnsignAsync(HttpContext context, string deposit, string request, FinnotechGrant grant, HavaleDb db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        OrderLookup.RequirePersonalToken(grant);
        var signer = grant.Nid;
        await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ClaimAsync(db, deposit, orderId, Signable, nowUtc, cancellationToken))
        {
            return Refuse(context, SignRefusal.OrderClosed);
        }
        var removed = await db.OrderSignatures.Where(signature => signature.OrderId == orderId && signature.Nid == signer)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return Refuse(context, SignRefusal.NotSignedByCaller);
        }
        OrderLookup.AddHistory(db, orderId, OrderAction.Unsign, signer, nowUtc);
        await db.SaveChangesAsync(cancellationToken);
        await SetStatusAsync(db, orderId, (await SignersAsync(db, orderId, cancellationToken)).Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await OrderLookup.AnswerOrderAsync(context, db, deposit, orderId, cancellationToken);
    }

    /// <summary>
    /// Touches the order only while it is in one of <paramref name="allowed"/>; on PostgreSQL this also locks its row
    /// until commit, so the signatures read next are all there are. A missing order is told apart for the 404.
    /// </summary>
    private static async Task<bool> ClaimAsync(HavaleDb db, string deposit, long orderId, OrderStatus[] allowed, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        var claimed = await db.PaymentOrders
            .Where(order => order.Id == orderId && order.DepositNumber == deposit && allowed.Contains(order.Status))
            .ExecuteUpdateAsync(update => update.SetProperty(order => order.LastUpdateUtc, nowUtc), cancellationToken);
        if (claimed == 0)
        {
            await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        }
        return claimed == 1;
    }

    private static async Task<HashSet<string>> SignersAsync(HavaleDb db, long orderId, CancellationToken cancellationToken)
        => (await db.OrderSignatures.Where(signature => signature.OrderId == orderId).Select(signature => signature.Nid)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

    private static async Task SetStatusAsync(HavaleDb db, long orderId, int signatures, CancellationToken cancellationToken)
    {
        var required = await db.PaymentOrders.Where(order => order.Id == orderId).Select(order => order.RequiredSignatures).SingleAsync(cancellationToken);
        var status = signatures == 0 ? OrderStatus.Created : signatures < required ? OrderStatus.Pending : OrderStatus.Signed;
        await db.PaymentOrders.Where(order => order.Id == orderId)
            .ExecuteUpdateAsync(update => update.SetProperty(order => order.Status, status), cancellationToken);
    }

    private static IResult Refuse(HttpContext context, SignRefusal refusal) => refusal switch
    {
        SignRefusal.OrderClosed => Envelopes.Fail(context, ErrorCode.ValidationError, "the order is paid or deleted and takes no signatures"),
        SignRefusal.NotInCeremonies => Envelopes.Fail(context, ErrorCode.ValidationError,
            "only a signatory of the deposit named in the order's ceremonies may sign it"),
        SignRefusal.OutOfOrder => Envelopes.Fail(context, ErrorCode.ValidationError,
            "a signatory at an earlier ceremony order has not signed yet"),
        SignRefusal.NotSignedByCaller => Envelopes.Fail(context, ErrorCode.ValidationError, "the caller has not signed this order"),
    };
}
