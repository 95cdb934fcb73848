using Havale.Api.Accounts;
using Havale.Api.Ledger;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Reads orders with their rows' states. A row's state is derived from the ledger when read, not stored: the ledger
/// is the one record of where the money is, the rails need no hook for Kilid, and a Paya cycle settled by the
/// background resolver (or after a crash) shows at once, with no second write to fall out of step.
/// </summary>
public static class OrderReader
{
    private sealed record RowWithLedger(OrderDestination Row, string? Reference, TransferKind? ResolutionKind, string? ResolutionNote,
        DateTimeOffset? ResolvedUtc);

    public const string PayaRefusedMessage = "the destination bank refused the payment";

    public static async Task<OrderView?> FindAsync(HavaleDb db, DepositNumber deposit, long orderId, CancellationToken cancellationToken)
        => (await LoadAsync(db, deposit, [orderId], cancellationToken)).SingleOrDefault();

    /// <summary>The orders of one deposit among <paramref name="orderIds"/>, in that order; six queries however many.</summary>
    public static async Task<List<OrderView>> LoadAsync(HavaleDb db, DepositNumber deposit, IReadOnlyList<long> orderIds,
        CancellationToken cancellationToken)
    {
        var ids = orderIds.ToList();
        var orders = await db.PaymentOrders.AsNoTracking()
            .Where(order => ids.Contains(order.Id) && order.DepositNumber == deposit.Value).ToListAsync(cancellationToken);
        if (orders.Count == 0)
        {
            return [];
        }
        var rows = await (
                from row in db.OrderDestinations.AsNoTracking()
                where ids.Contains(row.OrderId)
                join transfer in db.LedgerTransfers on row.LedgerTransferId equals (long?)transfer.Id into transfers
                from transfer in transfers.DefaultIfEmpty()
                join resolution in db.LedgerTransfers on row.LedgerTransferId equals resolution.PendingId into resolutions
                from resolution in resolutions.DefaultIfEmpty()
                orderby row.OrderId, row.Position
                select new RowWithLedger(row, transfer == null ? null : transfer.Reference,
                    resolution == null ? null : resolution.Kind, resolution == null ? null : resolution.Note,
                    resolution == null ? null : resolution.CreatedUtc))
            .ToListAsync(cancellationToken);
        var ceremonies = await db.OrderCeremonies.AsNoTracking().Where(ceremony => ids.Contains(ceremony.OrderId))
            .OrderBy(ceremony => ceremony.SigningOrder).ThenBy(ceremony => ceremony.Nid).ToListAsync(cancellationToken);
        var signatures = await db.OrderSignatures.AsNoTracking().Where(signature => ids.Contains(signature.OrderId))
            .OrderBy(signature => signature.SignedUtc).ToListAsync(cancellationToken);
        var history = await db.OrderHistory.AsNoTracking().Where(entry => ids.Contains(entry.OrderId))
            .OrderBy(entry => entry.Id).ToListAsync(cancellationToken);
        var nids = history.Select(entry => entry.Nid).Concat(signatures.Select(signature => signature.Nid)).Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(customer => nids.Contains(customer.Nid))
            .ToDictionaryAsync(customer => customer.Nid, customer => (customer.FirstName, customer.LastName), cancellationToken);

        var rowsByOrder = rows.ToLookup(row => row.Row.OrderId);
        var ceremoniesByOrder = ceremonies.ToLookup(ceremony => ceremony.OrderId);
        var signaturesByOrder = signatures.ToLookup(signature => signature.OrderId);
        var historyByOrder = history.ToLookup(entry => entry.OrderId);
        var byId = orders.ToDictionary(order => order.Id);
        return ids.Where(byId.ContainsKey).Select(id => View(byId[id], rowsByOrder[id].ToList(), ceremoniesByOrder[id], signaturesByOrder[id],
            historyByOrder[id], names)).ToList();
    }

    private static OrderView View(PaymentOrder order, List<RowWithLedger> rows, IEnumerable<OrderCeremony> ceremonies,
        IEnumerable<OrderSignature> signatures, IEnumerable<OrderHistoryEntry> history, Dictionary<string, (string First, string Last)> names)
    {
        var destinations = rows.Select(row => Destination(order, row)).ToList();
        var isDone = order.Status == OrderStatus.InProgress && destinations.All(row => row.State is RowStates.Success or RowStates.Failed);
        var lastUpdateUtc = isDone
            ? rows.Select(row => row.ResolvedUtc ?? order.LastUpdateUtc).Append(order.LastUpdateUtc).Max()
            : order.LastUpdateUtc;
        return new OrderView
        {
            Request = order.Id,
            Number = order.DepositNumber,
            CreatedDate = Jalali.KilidDateTime(order.CreatedUtc),
            Status = isDone ? "done" : order.Status.WireName(),
            LastUpdate = Jalali.KilidDateTime(lastUpdateUtc),
            Ceremonies = ceremonies.Select(ceremony => new CeremonyView(ceremony.Nid, ceremony.SigningOrder)).ToList(),
            Note = order.Note,
            Destinations = destinations,
            History = history.Select(entry => new HistoryView
            {
                Nid = entry.Nid,
                Date = Jalali.KilidDateTime(entry.AtUtc),
                Description = entry.Description,
                Action = entry.Action.WireName(),
                FirstName = names.TryGetValue(entry.Nid, out var name) ? name.First : null,
                LastName = names.TryGetValue(entry.Nid, out var sameName) ? sameName.Last : null,
            }).ToList(),
            Signs = signatures.Select(signature => new SignView
            {
                Nid = signature.Nid,
                FirstName = names.TryGetValue(signature.Nid, out var name) ? name.First : null,
                LastName = names.TryGetValue(signature.Nid, out var sameName) ? sameName.Last : null,
                Date = Jalali.KilidDateTime(signature.SignedUtc),
            }).ToList(),
        };
    }

    private static DestinationView Destination(PaymentOrder order, RowWithLedger withLedger)
    {
        var row = withLedger.Row;
        var (state, failure) = row.LedgerTransferId is null ? (RowStates.Ready, null)
            : row.TransferType == TransferType.Internal ? (RowStates.Success, null)
            : HoldStates.Of(withLedger.ResolutionKind) switch
            {
                HoldState.Open => (RowStates.Wait, null),
                HoldState.Posted => (RowStates.Success, (string?)null),
                HoldState.Voided => (RowStates.Failed, withLedger.ResolutionNote ?? PayaRefusedMessage),
            };
        var isPaid = row.LedgerTransferId is not null;
        return new DestinationView
        {
            Id = row.Id,
            Request = order.Id,
            Number = row.Number,
            Amount = row.AmountRials,
            Name = row.Name,
            Description = row.Description,
            ReferenceCode = row.ReferenceCode,
            State = state,
            FailureMessage = failure,
            TransferType = row.TransferType.WireName(),
            RefCode = withLedger.Reference,
            TrackId = isPaid ? order.PayTrackId : null,
            PayDate = isPaid && order.PaidUtc is { } paidUtc ? Jalali.KilidDateTime(paidUtc) : null,
        };
    }
}
