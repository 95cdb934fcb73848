using Havale.Api.Features.Webhooks;
using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

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
    public static Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<FailureEnvelope>>> SignAsync(HttpContext context,
        string deposit, string request, FinnotechGrant grant, HavaleDb db, TimeProvider clock, CancellationToken cancellationToken)
        => ActAsync(TrySignAsync, context, deposit, request, grant, db, clock, cancellationToken);

    public static Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<FailureEnvelope>>> UnsignAsync(HttpContext context,
        string deposit, string request, FinnotechGrant grant, HavaleDb db, TimeProvider clock, CancellationToken cancellationToken)
        => ActAsync(TryUnsignAsync, context, deposit, request, grant, db, clock, cancellationToken);

    private delegate Task<SignRefusal?> SignAct(HavaleDb db, string deposit, long orderId, string signer, DateTimeOffset nowUtc,
        CancellationToken cancellationToken);

    /// <summary>Sign and unsign through the API: the caller's own code token acts, and the order is answered as it now is.</summary>
    private static async Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<FailureEnvelope>>> ActAsync(SignAct act,
        HttpContext context, string deposit, string request, FinnotechGrant grant, HavaleDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        OrderLookup.RequirePersonalToken(grant);
        // Refusals commit nothing, so the answer read in a commit is always this success.
        var answer = OrderLookup.PrepareOrderAnswer(context, db, deposit, orderId);
        if (await act(db, deposit, orderId, grant.Nid.Value, clock.GetUtcNow(), cancellationToken) is { } refusal)
        {
            return Refuse(context, refusal);
        }
        return await answer.ResultAsync(cancellationToken);
    }

    /// <summary>
    /// The signing rules, for the API and the signatory console alike: null when <paramref name="signer"/> has signed
    /// (now, or before: signing twice changes nothing), or the refusal.
    /// </summary>
    public static async Task<SignRefusal?> TrySignAsync(HavaleDb db, string deposit, long orderId, string signer, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ClaimAsync(db, deposit, orderId, OrderMove.Sign, nowUtc, cancellationToken))
        {
            return SignRefusal.OrderClosed;
        }
        var ceremonies = await db.OrderCeremonies.AsNoTracking().Where(ceremony => ceremony.OrderId == orderId).ToListAsync(cancellationToken);
        var signed = await SignersAsync(db, orderId, cancellationToken);
        var own = ceremonies.SingleOrDefault(ceremony => ceremony.Nid == signer);
        // Someone named when the order was made who has since stopped being a signatory signs nothing.
        if (own is null || !account.Members.Any(member => member.Nid == signer && member.IsSignatory))
        {
            return SignRefusal.NotInCeremonies;
        }
        if (signed.Contains(signer))
        {
            // Signing twice changes nothing: the claim above is rolled back with the transaction.
            return null;
        }
        if (ceremonies.Any(ceremony => ceremony.SigningOrder < own.SigningOrder && !signed.Contains(ceremony.Nid)))
        {
            return SignRefusal.OutOfOrder;
        }
        db.OrderSignatures.Add(new OrderSignature { OrderId = orderId, Nid = signer, SignedUtc = nowUtc });
        OrderLookup.AddHistory(db, orderId, OrderAction.Sign, signer, nowUtc);
        await db.SaveChangesAsync(cancellationToken);
        await SetStatusAsync(db, orderId, signed.Count + 1, cancellationToken);
        await OrderEvents.RecordChangeAsync(db, deposit, orderId, nowUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>Withdraws <paramref name="signer"/>'s signature, for the API and the console: null when done, or the refusal.</summary>
    public static async Task<SignRefusal?> TryUnsignAsync(HavaleDb db, string deposit, long orderId, string signer, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ClaimAsync(db, deposit, orderId, OrderMove.Unsign, nowUtc, cancellationToken))
        {
            return SignRefusal.OrderClosed;
        }
        var removed = await db.OrderSignatures.Where(signature => signature.OrderId == orderId && signature.Nid == signer)
            .ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return SignRefusal.NotSignedByCaller;
        }
        OrderLookup.AddHistory(db, orderId, OrderAction.Unsign, signer, nowUtc);
        await db.SaveChangesAsync(cancellationToken);
        await SetStatusAsync(db, orderId, (await SignersAsync(db, orderId, cancellationToken)).Count, cancellationToken);
        await OrderEvents.RecordChangeAsync(db, deposit, orderId, nowUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Touches the order only while the move is allowed from its status; on PostgreSQL this also locks its row
    /// until commit, so the signatures read next are all there are. A missing order is told apart for the 404.
    /// </summary>
    private static async Task<bool> ClaimAsync(HavaleDb db, string deposit, long orderId, OrderMove move, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        var claimed = await db.PaymentOrders
            .Movable(deposit, orderId, move)
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
        var status = OrderTransitions.AfterSignatures(signatures, required);
        await db.PaymentOrders.Where(order => order.Id == orderId)
            .ExecuteUpdateAsync(update => update.SetProperty(order => order.Status, status), cancellationToken);
    }

    private static JsonHttpResult<FailureEnvelope> Refuse(HttpContext context, SignRefusal refusal) => refusal switch
    {
        SignRefusal.OrderClosed => Envelopes.Fail(context, ErrorCode.ValidationError, "the order is paid or deleted and takes no signatures"),
        SignRefusal.NotInCeremonies => Envelopes.Fail(context, ErrorCode.ValidationError,
            "only a signatory of the deposit named in the order's ceremonies may sign it"),
        SignRefusal.OutOfOrder => Envelopes.Fail(context, ErrorCode.ValidationError,
            "a signatory at an earlier ceremony order has not signed yet"),
        SignRefusal.NotSignedByCaller => Envelopes.Fail(context, ErrorCode.ValidationError, "the caller has not signed this order"),
    };
}
