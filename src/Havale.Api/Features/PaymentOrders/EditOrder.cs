using Havale.Api.Features.Webhooks;
using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Edit (PATCH): the body is create's, and what it gives replaces what the order had (rows as a whole, ceremonies as
/// a whole, the note); what it leaves out stays. Only while nobody has signed, which one guarded UPDATE decides.
/// </summary>
public static class EditOrder
{
    public static async Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<SuccessEnvelope<OrderRefusalResult>>>> HandleAsync(HttpContext context, string deposit, string request, OrderBody body, FinnotechGrant grant,
        HavaleDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        var source = DepositNumber.Parse(deposit);
        var (draft, refusal) = OrderDraftParsing.Parse(body, source, isEdit: true);
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        var order = await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        refusal ??= await OrderDraftChecks.CheckAgainstDepositAsync(db, draft!, account, grant, cancellationToken);
        if (refusal is not null)
        {
            return OrderAnswers.Refuse(context, refusal);
        }
        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var note = draft!.Note ?? order.Note;
        // Claims the order: a signature that arrives meanwhile either waits for this transaction or finds it edited.
        var claimed = await db.PaymentOrders
            .Movable(deposit, orderId, OrderMove.Edit)
            .ExecuteUpdateAsync(update => update.SetProperty(known => known.LastUpdateUtc, nowUtc).SetProperty(known => known.Note, note),
                cancellationToken);
        if (claimed == 0)
        {
            return OrderAnswers.Refuse(context, new DraftRefusal(OrderRefusal.OrderNotEditable, "only an order nobody has signed can change", null));
        }
        if (draft.Rows is { } rows)
        {
            await db.OrderDestinations.Where(row => row.OrderId == orderId).ExecuteDeleteAsync(cancellationToken);
            OrderWriter.AddRows(db, orderId, rows);
        }
        if (draft.Ceremonies is { } ceremonies)
        {
            await db.OrderCeremonies.Where(ceremony => ceremony.OrderId == orderId).ExecuteDeleteAsync(cancellationToken);
            OrderWriter.AddCeremonies(db, orderId, ceremonies);
        }
        OrderLookup.AddHistory(db, orderId, OrderAction.Edit, draft.Actor.Value, nowUtc, draft.Note);
        await db.SaveChangesAsync(cancellationToken);
        await OrderEvents.RecordChangeAsync(db, deposit, orderId, nowUtc, cancellationToken);
        var answer = OrderLookup.PrepareOrderAnswer(context, db, deposit, orderId);
        await transaction.CommitAsync(cancellationToken);
        return await answer.ResultAsync(cancellationToken);
    }
}
