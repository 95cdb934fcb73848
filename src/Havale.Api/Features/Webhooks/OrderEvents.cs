using System.Globalization;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Ledger;

namespace Havale.Api.Features.Webhooks;

/// <summary>A destination row's event data: the row as the order view shows it, with its order's deposit.</summary>
public sealed record DestinationData(string Deposit, DestinationView Destination);

/// <summary>A Paya pass's event data for one client: how many of its rows the banks settled and refused, and the sum that left.</summary>
public sealed record PayaCycleData(int SettledCount, int FailedCount, long SettledRials, string SettledUtc);

/// <summary>
/// The events of Kilid orders, written in the transaction of each change: <c>kilid.order.{status}</c> after every change
/// the order endpoints make, <c>kilid.destination.success|failed</c> as rows reach their end, and
/// <c>kilid.order.done</c> when the last one has. They go to the client that created the order.
/// </summary>
public static class OrderEvents
{
    public static string ObjectKey(long orderId) => "kilid:order:" + orderId.ToString(CultureInfo.InvariantCulture);

    /// <summary>After create, edit, sign, unsign or delete: the order's new state. Saves the event with the context's other changes.</summary>
    public static async Task RecordChangeAsync(HavaleDb db, string deposit, long orderId, DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        var (clientId, view) = await ReadAsync(db, deposit, orderId, cancellationToken);
        WebhookOutbox.Add(db, [OrderEvent(clientId, view, nowUtc)]);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>After pay: in progress, then every row already at its end (internal rows), then done if no Paya row waits.</summary>
    public static async Task RecordPaidAsync(HavaleDb db, string deposit, long orderId, DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        var (clientId, view) = await ReadAsync(db, deposit, orderId, cancellationToken);
        var events = new List<OutboxEvent> { OrderEvent(clientId, view with { Status = OrderStatus.InProgress.WireName() }, nowUtc) };
        events.AddRange(RowEvents(clientId, deposit, view, view.Destinations.Select(row => row.Id).ToHashSet(), nowUtc));
        WebhookOutbox.Add(db, events);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The events of a Paya pass that resolved <paramref name="resolvedHoldIds"/> (inside its transaction, after the
    /// resolutions are written): each Kilid row they settle, each order that is done with it, and one summary per client.
    /// </summary>
    public static async Task<List<OutboxEvent>> ForPayaAsync(HavaleDb db, IReadOnlyList<LedgerTransfer> resolvedHolds,
        IReadOnlySet<long> postedHoldIds, DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        var events = new List<OutboxEvent>();
        if (resolvedHolds.Count == 0)
        {
            return events;
        }
        var holdIds = resolvedHolds.Select(hold => (long?)hold.Id).ToList();
        var rows = await (from row in db.OrderDestinations.AsNoTracking()
                          join order in db.PaymentOrders.AsNoTracking() on row.OrderId equals order.Id
                          where holdIds.Contains(row.LedgerTransferId)
                          select new { row.Id, row.OrderId, order.DepositNumber, order.ClientId }).ToListAsync(cancellationToken);
        foreach (var deposit in rows.GroupBy(row => row.DepositNumber))
        {
            var views = await OrderReader.LoadAsync(db, DepositNumber.Parse(deposit.Key), deposit.Select(row => row.OrderId).Distinct().ToList(),
                cancellationToken);
            foreach (var view in views)
            {
                var clientId = deposit.First(row => row.OrderId == view.Request).ClientId;
                var touched = deposit.Where(row => row.OrderId == view.Request).Select(row => row.Id).ToHashSet();
                events.AddRange(RowEvents(clientId, deposit.Key, view, touched, nowUtc));
            }
        }
        foreach (var client in resolvedHolds.Where(hold => hold.ClientId is not null).GroupBy(hold => hold.ClientId!, StringComparer.Ordinal))
        {
            var posted = client.Where(hold => postedHoldIds.Contains(hold.Id)).ToList();
            var data = new PayaCycleData(posted.Count, client.Count() - posted.Count, posted.Sum(hold => hold.AmountRials),
                nowUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            events.Add(new OutboxEvent(client.Key, WebhookEventTypes.PayaCycleSettled,
                "paya:" + client.Key + ":" + nowUtc.UtcTicks.ToString(CultureInfo.InvariantCulture), data, nowUtc));
        }
        return events;
    }

    private static IEnumerable<OutboxEvent> RowEvents(string clientId, string deposit, OrderView view, IReadOnlySet<long> touchedRowIds,
        DateTimeOffset nowUtc)
    {
        foreach (var row in view.Destinations.Where(row => touchedRowIds.Contains(row.Id)))
        {
            if (row.State == RowStates.Success || row.State == RowStates.Failed)
            {
                var type = row.State == RowStates.Success ? WebhookEventTypes.KilidDestinationSuccess : WebhookEventTypes.KilidDestinationFailed;
                yield return new OutboxEvent(clientId, type, ObjectKey(view.Request), new DestinationData(deposit, row), nowUtc);
            }
        }
        if (view.Status == "done")
        {
            yield return OrderEvent(clientId, view, nowUtc);
        }
    }

    private static OutboxEvent OrderEvent(string clientId, OrderView view, DateTimeOffset nowUtc)
        => new(clientId, WebhookEventTypes.KilidOrderPrefix + view.Status, ObjectKey(view.Request), view, nowUtc);

    private static async Task<(string ClientId, OrderView View)> ReadAsync(HavaleDb db, string deposit, long orderId,
        CancellationToken cancellationToken)
    {
        var clientId = await db.PaymentOrders.Where(order => order.Id == orderId).Select(order => order.ClientId).SingleAsync(cancellationToken);
        var view = await OrderReader.FindAsync(db, DepositNumber.Parse(deposit), orderId, cancellationToken)
                   ?? throw new InvariantViolationException("invariant failed: an order just changed can be read back");
        return (clientId, view);
    }
}
