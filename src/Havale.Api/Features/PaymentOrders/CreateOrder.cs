using Havale.Api.Features.Webhooks;
using Havale.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>Create: the seed's service. Every rule is checked before anything is written, so a refusal stores nothing.</summary>
public static class CreateOrder
{
    public static async Task<Results<JsonHttpResult<SuccessEnvelope<OrderView>>, JsonHttpResult<SuccessEnvelope<OrderRefusalResult>>>> HandleAsync(HttpContext context, string deposit, OrderBody body, FinnotechGrant grant, HavaleDb db,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var source = DepositNumber.Parse(deposit);
        var (draft, refusal) = OrderDraftParsing.Parse(body, source, isEdit: false);
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        refusal ??= await OrderDraftChecks.CheckAgainstDepositAsync(db, draft!, account, grant, cancellationToken);
        if (refusal is not null)
        {
            return OrderAnswers.Refuse(context, refusal);
        }
        var nowUtc = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = new PaymentOrder
        {
            DepositNumber = deposit,
            ClientId = grant.ClientId,
            Status = OrderStatus.Created,
            Note = draft!.Note,
            CreatedByNid = draft.Actor.Value,
            RequiredSignatures = account.RequiredSignatures,
            CreatedUtc = nowUtc,
            LastUpdateUtc = nowUtc,
        };
        db.PaymentOrders.Add(order);
        await db.SaveChangesAsync(cancellationToken);
        OrderWriter.AddRows(db, order.Id, draft.Rows!);
        // Without ceremonies every signatory of the deposit may sign, all at the seed's default order.
        OrderWriter.AddCeremonies(db, order.Id, draft.Ceremonies
            ?? account.Members.Where(member => member.IsSignatory)
                .Select(member => new ValidCeremony(NationalCode.Parse(member.Nid), PaymentOrderLimits.CeremonyOrderDefault, default)).ToList());
        OrderLookup.AddHistory(db, order.Id, OrderAction.Create, draft.Actor.Value, nowUtc, draft.Note);
        await db.SaveChangesAsync(cancellationToken);
        await OrderEvents.RecordChangeAsync(db, deposit, order.Id, nowUtc, cancellationToken);
        var answer = OrderLookup.PrepareOrderAnswer(context, db, deposit, order.Id);
        await transaction.CommitAsync(cancellationToken);
        return await answer.ResultAsync(cancellationToken);
    }
}

/// <summary>Writes a draft's rows and ceremonies (create, and edit when it replaces them).</summary>
public static class OrderWriter
{
    public static void AddRows(HavaleDb db, long orderId, IReadOnlyList<ValidRow> rows)
        => db.OrderDestinations.AddRange(rows.Select(row => new OrderDestination
        {
            OrderId = orderId,
            Position = row.Position,
            Number = row.Number,
            TransferType = row.Account.TransferType,
            AmountRials = row.Amount.AmountRials,
            Name = row.Name,
            Description = row.Description,
            ReferenceCode = row.ReferenceCode,
        }));

    public static void AddCeremonies(HavaleDb db, long orderId, IReadOnlyList<ValidCeremony> ceremonies)
        => db.OrderCeremonies.AddRange(ceremonies.Select(ceremony => new OrderCeremony
        {
            OrderId = orderId,
            Nid = ceremony.Nid.Value,
            SigningOrder = ceremony.SigningOrder,
        }));
}
