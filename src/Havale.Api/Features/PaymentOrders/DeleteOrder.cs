using Havale.Api.Features.Webhooks;
using System.Text.Json.Serialization;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

public sealed record DeleteOrderBody(string? NationalCode, string? Note);

public sealed record DeleteOrderResult(
    [property: JsonPropertyName("request")] long Request,
    [property: JsonPropertyName("message")] string Message);

/// <summary>
/// Delete: marks the order deleted (it stays readable, with its history) while nobody has signed it. Refusals take the
/// seed's create/edit shape, so a Kilid client reads every order refusal the same way.
/// </summary>
public static class DeleteOrder
{
    public static async Task<Results<JsonHttpResult<SuccessEnvelope<DeleteOrderResult>>, JsonHttpResult<SuccessEnvelope<OrderRefusalResult>>>> HandleAsync(HttpContext context, string deposit, string request, [FromBody] DeleteOrderBody body,
        FinnotechGrant grant, HavaleDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        if (!NationalCode.TryParse(body.NationalCode, out var actor, out var actorError))
        {
            throw ApiProblem.Field("nationalCode", actorError);
        }
        if (!PersianText.TryNormalize(body.Note, 1, PaymentOrderLimits.NoteCharsMax, out var note, out var noteError))
        {
            throw ApiProblem.Field("note", noteError);
        }
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        await OrderLookup.OrderAsync(db, deposit, orderId, cancellationToken);
        if (OrderDraftChecks.CheckActor(actor, account, grant) is { } refusal)
        {
            return OrderAnswers.Refuse(context, refusal);
        }
        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.PaymentOrders
            .Movable(deposit, orderId, OrderMove.Delete)
            .ExecuteUpdateAsync(update => update.SetProperty(order => order.Status, OrderStatus.Deleted)
                .SetProperty(order => order.LastUpdateUtc, nowUtc), cancellationToken);
        if (deleted == 0)
        {
            return OrderAnswers.Refuse(context, new DraftRefusal(OrderRefusal.OrderNotEditable, "only an order nobody has signed can be deleted", null));
        }
        OrderLookup.AddHistory(db, orderId, OrderAction.Delete, actor.Value, nowUtc, note);
        await db.SaveChangesAsync(cancellationToken);
        await OrderEvents.RecordChangeAsync(db, deposit, orderId, nowUtc, cancellationToken);
        var answer = WriteAnswers.Prepare(context, _ => Task.FromResult(Envelopes.Ok(context, new DeleteOrderResult(orderId, "success"))));
        await transaction.CommitAsync(cancellationToken);
        return await answer.ResultAsync(cancellationToken);
    }
}
