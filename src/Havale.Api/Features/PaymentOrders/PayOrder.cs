using Havale.Api.Features.Webhooks;
using Havale.Api.Auth;
using Havale.Api.Ledger;
using Havale.Api.Platform.Telemetry;
using Havale.Api.Rails;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>Every way pay is refused, in the order the rules are checked; a refusal moves no money.</summary>
public enum PayRefusal
{
    OrderNotSigned,
    OrderAlreadyPaid,
    PayerNotSignatory,
    AmountExceedsTokenLimit,
    SourceNotActive,
    DestinationNotActive,
    InternalTransfersPaused,
    InsufficientFunds,
}

/// <summary>
/// Who pays which order, and for whom: <paramref name="ClientId"/> and <paramref name="TrackId"/> go on every transfer;
/// <paramref name="TransferRialsMax"/> is a token's per-transfer limit, null where a person pays in their own name.
/// </summary>
public sealed record OrderPayment(string Deposit, long OrderId, string PayerNid, string ClientId, string TrackId, long? TransferRialsMax);

/// <summary>
/// Pay, Havale's design: a signatory pays a signed order. The whole order is one database transaction — the order is
/// claimed (signed → inprogress), every internal row is posted and every Paya row held — so either all of its money
/// moves or, on any refusal, none does and the order stays signed. Paya rows then settle with their cycle.
/// </summary>
public static class PayOrder
{
    public static async Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<FailureEnvelope>>> HandleAsync(HttpContext context, string deposit, string request, FinnotechGrant grant, HavaleDb db,
        PaymentRails rails, TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        OrderLookup.RequirePersonalToken(grant);
        var startedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        var payment = new OrderPayment(deposit, orderId, grant.Nid.Value, grant.ClientId, context.CallTrackId(), grant.MaxAmountPerTransactionRials);
        // Refusals commit nothing, so the answer read in a commit is always this success.
        var answer = OrderLookup.PrepareOrderAnswer(context, db, deposit, orderId);
        if (await TryPayAsync(db, rails, clock, payment, cancellationToken) is { } refusal)
        {
            return Refuse(context, refusal);
        }
        HavaleMetrics.PaymentCall(PaymentOperation.KilidPay, RailOutcome.Done, startedTimestamp);
        return await answer.ResultAsync(cancellationToken);
    }

    /// <summary>The pay rules, for the API and the signatory console alike: null when the whole order is paid, or the refusal.</summary>
    public static async Task<PayRefusal?> TryPayAsync(HavaleDb db, PaymentRails rails, TimeProvider clock, OrderPayment payment,
        CancellationToken cancellationToken)
    {
        var (deposit, orderId, payer, clientId, trackId, transferRialsMax) = payment;
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        var order = await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        var rows = await db.OrderDestinations.AsNoTracking().Where(row => row.OrderId == orderId).OrderBy(row => row.Position)
            .ToListAsync(cancellationToken);
        if (Refusal(order, account.Members.Any(member => member.Nid == payer && member.IsSignatory), rows, transferRialsMax) is { } early)
        {
            return early;
        }

        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.PaymentOrders
            .Movable(deposit, orderId, OrderMove.Pay)
            .ExecuteUpdateAsync(update => update.SetProperty(known => known.Status, OrderStatus.InProgress)
                .SetProperty(known => known.PaidUtc, nowUtc)
                .SetProperty(known => known.PaidByNid, payer)
                .SetProperty(known => known.PayTrackId, trackId)
                .SetProperty(known => known.LastUpdateUtc, nowUtc), cancellationToken);
        if (claimed == 0)
        {
            // Another call paid (or unsigned) it between the read above and this claim.
            var now = await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
            return now.Status == OrderStatus.InProgress ? PayRefusal.OrderAlreadyPaid : PayRefusal.OrderNotSigned;
        }
        var source = DepositNumber.Parse(deposit);
        var caller = new PaymentCaller(clientId, payer, trackId);
        var payments = rows.Select(row => PaymentOf(orderId, row)).ToList();
        var paid = await rails.PayManyAsync(db, source, caller, payments, cancellationToken);
        if (paid.Outcome != RailOutcome.Done)
        {
            // The row that refused the order is the payment the rail refused; the others were never tried.
            Invariant.Holds(paid.RefusedIndex >= 0 && paid.RefusedIndex < payments.Count);
            HavaleMetrics.Payment(payments[paid.RefusedIndex].IsInternal ? RailKind.Internal : RailKind.Paya, paid.Outcome);
            return paid.Outcome switch
            {
                RailOutcome.SourceNotFound or RailOutcome.SourceNotActive => PayRefusal.SourceNotActive,
                RailOutcome.DestinationNotFound or RailOutcome.DestinationNotActive or RailOutcome.BankNotOnRail => PayRefusal.DestinationNotActive,
                RailOutcome.RailClosed => PayRefusal.InternalTransfersPaused,
                RailOutcome.InsufficientFunds => PayRefusal.InsufficientFunds,
                RailOutcome.Done or RailOutcome.Rejected or RailOutcome.Unavailable or RailOutcome.Unknown
                    or RailOutcome.DailyAmountExceeded or RailOutcome.DailyBeneficiaryCountExceeded or RailOutcome.AlreadyCalled =>
                    throw new InvariantViolationException($"invariant failed: an internal transfer or a Paya hold does not end {paid.Outcome}"),
            };
        }
        // Each row names its transfer, in one round trip for the whole order.
        var step = new SqlStep(db.Database.GetDbConnection(), transaction.GetDbTransaction());
        for (var i = 0; i < rows.Count; i++)
        {
            step.Add("UPDATE payment_order_destinations SET ledger_transfer_id = @p0 WHERE id = @p1", paid.TransferIds[i], rows[i].Id);
        }
        await step.RunAsync(cancellationToken);
        OrderLookup.AddHistory(db, orderId, OrderAction.Pay, payer, nowUtc);
        await db.SaveChangesAsync(cancellationToken);
        await OrderEvents.RecordPaidAsync(db, deposit, orderId, nowUtc, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var internalCount = payments.Count(row => row.IsInternal);
        if (internalCount > 0)
        {
            HavaleMetrics.Payment(RailKind.Internal, RailOutcome.Done, internalCount);
        }
        if (payments.Count > internalCount)
        {
            HavaleMetrics.Payment(RailKind.Paya, RailOutcome.Done, payments.Count - internalCount);
        }
        return null;
    }

    private static PayRefusal? Refusal(PaymentOrder order, bool isPayerSignatory, List<OrderDestination> rows, long? transferRialsMax)
    {
        if (order.Status is OrderStatus.InProgress)
        {
            return PayRefusal.OrderAlreadyPaid;
        }
        if (!OrderTransitions.Allows(OrderMove.Pay, order.Status))
        {
            return PayRefusal.OrderNotSigned;
        }
        if (!isPayerSignatory)
        {
            return PayRefusal.PayerNotSignatory;
        }
        // The token's limit is per transfer, and each row is one transfer.
        if (transferRialsMax is { } max && rows.Any(row => row.AmountRials > max))
        {
            return PayRefusal.AmountExceedsTokenLimit;
        }
        return null;
    }

    private static ManyPayment PaymentOf(long orderId, OrderDestination row)
    {
        if (!DestinationAccount.TryParse(row.Number, out var destination, out _))
        {
            throw new InvariantViolationException("invariant failed: a stored row's number parses as it did when it was stored");
        }
        var amount = Rials.FromTrusted(row.AmountRials);
        // The ledger's note is what the deposit's statement shows for the line.
        var note = $"Kilid {orderId}: {row.Description ?? row.Name ?? row.Number}";
        var fitted = LedgerColumns.FitNote(note);
        return destination.TransferType switch
        {
            TransferType.Internal => new ManyPayment(destination.Deposit!.Value, null, amount, fitted),
            TransferType.Paya => new ManyPayment(null, destination.PayaIban!.Value, amount, fitted),
        };
    }

    private static JsonHttpResult<FailureEnvelope> Refuse(HttpContext context, PayRefusal refusal) => refusal switch
    {
        PayRefusal.OrderNotSigned => Envelopes.Fail(context, ErrorCode.ValidationError, "the order is not signed, so it cannot be paid"),
        PayRefusal.OrderAlreadyPaid => Envelopes.Fail(context, ErrorCode.ValidationError, "the order has already been paid"),
        PayRefusal.PayerNotSignatory => Envelopes.Fail(context, ErrorCode.ValidationError, "only a signatory of the deposit may pay its orders"),
        PayRefusal.AmountExceedsTokenLimit => Envelopes.Fail(context, ErrorCode.ValidationError, GrantRules.TokenLimitMessage),
        PayRefusal.SourceNotActive => Envelopes.Fail(context, ErrorCode.ValidationError, "the source deposit is not active"),
        PayRefusal.DestinationNotActive => Envelopes.Fail(context, ErrorCode.ValidationError,
            "a destination deposit is no longer active; no money was moved"),
        PayRefusal.InternalTransfersPaused => Envelopes.Fail(context, ErrorCode.ServiceUnavailable,
            "internal transfers pause from 23:54 to 00:00 Tehran time; no money was moved"),
        PayRefusal.InsufficientFunds => Envelopes.Fail(context, ErrorCode.ValidationError,
            "insufficient balance in the source deposit for the whole order; no money was moved"),
    };
}
