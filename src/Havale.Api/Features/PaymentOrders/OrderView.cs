using System.Text.Json;
using System.Text.Json.Serialization;
using Havale.Api.Ledger;
using Havale.Api.Platform;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>An order as the seed's result shows it, with Havale's <c>history</c> and <c>signs</c> added.</summary>
public sealed record OrderView
{
    [JsonPropertyName("request")] public required long Request { get; init; }
    [JsonPropertyName("number")] public required string Number { get; init; }
    [JsonPropertyName("created_date")] public required string CreatedDate { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("last_update")] public required string LastUpdate { get; init; }
    [JsonPropertyName("ceremonies")] public required IReadOnlyList<CeremonyView> Ceremonies { get; init; }
    [JsonPropertyName("note")] public required string? Note { get; init; }
    /// <summary>Kilid attaches files in its own app; Havale takes none, so this is always null.</summary>
    [JsonPropertyName("attachment")] public object? Attachment => null;
    [JsonPropertyName("destinations")] public required IReadOnlyList<DestinationView> Destinations { get; init; }
    [JsonPropertyName("id")] public long Id => Request;
    [JsonPropertyName("history")] public required IReadOnlyList<HistoryView> History { get; init; }
    [JsonPropertyName("signs")] public required IReadOnlyList<SignView> Signs { get; init; }
}

public sealed record CeremonyView([property: JsonPropertyName("nid")] string Nid, [property: JsonPropertyName("order")] int Order);

public sealed record DestinationView
{
    [JsonPropertyName("id")] public required long Id { get; init; }
    [JsonPropertyName("request")] public required long Request { get; init; }
    [JsonPropertyName("number")] public required string Number { get; init; }
    [JsonPropertyName("amount")] public required long Amount { get; init; }
    [JsonPropertyName("name")] public required string? Name { get; init; }
    [JsonPropertyName("description")] public required string? Description { get; init; }
    [JsonPropertyName("reference_code")] public required string? ReferenceCode { get; init; }
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("failure_message")] public required string? FailureMessage { get; init; }
    [JsonPropertyName("transfer_type")] public required string TransferType { get; init; }
    [JsonPropertyName("ref_code")] public required string? RefCode { get; init; }
    [JsonPropertyName("trackId")] public required string? TrackId { get; init; }
    /// <summary>The seed's example repeats reference_code here.</summary>
    [JsonPropertyName("payment_number")] public string? PaymentNumber => ReferenceCode;
    [JsonPropertyName("pay_date")] public required string? PayDate { get; init; }
}

public sealed record HistoryView
{
    [JsonPropertyName("nid")] public required string Nid { get; init; }
    [JsonPropertyName("date")] public required string Date { get; init; }
    [JsonPropertyName("description")] public required string? Description { get; init; }
    [JsonPropertyName("action")] public required string Action { get; init; }
    [JsonPropertyName("first_name")] public required string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public required string? LastName { get; init; }
}

public sealed record SignView
{
    [JsonPropertyName("nid")] public required string Nid { get; init; }
    [JsonPropertyName("first_name")] public required string? FirstName { get; init; }
    [JsonPropertyName("last_name")] public required string? LastName { get; init; }
    [JsonPropertyName("date")] public required string Date { get; init; }
}

/// <summary>The seed's business error: HTTP 400, <c>status</c> DONE, and the offending row as <c>invalidParameter</c>.</summary>
[AnsweredWithStatus(StatusCodes.Status400BadRequest)]
public sealed record OrderRefusalResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("farsi_message")] string FarsiMessage,
    [property: JsonPropertyName("invalidParameter")] JsonElement? InvalidParameter);

public static class OrderAnswers
{
    public static JsonHttpResult<SuccessEnvelope<OrderRefusalResult>> Refuse(HttpContext context, DraftRefusal refusal)
    {
        var (message, farsi) = Describe(refusal.Reason);
        var result = new OrderRefusalResult((int)refusal.Reason, $"{message}: {refusal.Detail}", farsi, refusal.Offending);
        return TypedResults.Json(new SuccessEnvelope<OrderRefusalResult>(context.GetTrackId().Value.Value, result), HavaleJson.Options,
            statusCode: StatusCodes.Status400BadRequest);
    }

    private static (string Message, string Farsi) Describe(OrderRefusal reason) => reason switch
    {
        OrderRefusal.InvalidDestinationNumber => ("invalid destination deposit", "حساب مقصد نامعتبر است"),
        OrderRefusal.InvalidAmount => ("invalid amount", "مبلغ نامعتبر است"),
        OrderRefusal.PayaAmountBelowMinimum => ("amount is below the Paya minimum", "مبلغ کمتر از حداقل مجاز پایا است"),
        OrderRefusal.PayaAmountAboveMaximum => ("amount is above the Paya maximum", "مبلغ بیشتر از حداکثر مجاز پایا است"),
        OrderRefusal.InvalidName => ("invalid destination name", "نام صاحب حساب مقصد نامعتبر است"),
        OrderRefusal.InvalidDescription => ("invalid description", "شرح تراکنش نامعتبر است"),
        OrderRefusal.InvalidReferenceCode => ("invalid reference code", "شناسه پرداخت نامعتبر است"),
        OrderRefusal.DestinationIsSource => ("source and destination deposits are the same", "حساب مبدا و مقصد یکسان است"),
        OrderRefusal.InvalidCeremony => ("invalid ceremony", "تشریفات نامعتبر است"),
        OrderRefusal.CeremonyNotSignatory => ("ceremony names a person who is not a signatory", "فرد تعیین شده در تشریفات امضادار حساب نیست"),
        OrderRefusal.CeremonyRepeated => ("ceremony names a person twice", "فرد تکراری در تشریفات"),
        OrderRefusal.TooFewCeremonySignatories => ("too few signatories in ceremonies", "تعداد امضاداران تشریفات کمتر از حد لازم است"),
        OrderRefusal.CreatorNotTokenPerson => ("nationalCode is not the token's person", "کد ملی با صاحب توکن یکسان نیست"),
        OrderRefusal.CreatorNotOwner => ("nationalCode may not create orders on this deposit", "کد ملی دسترسی ایجاد کننده روی حساب را ندارد"),
        OrderRefusal.SourceNotActive => ("the source deposit is not active", "حساب مبدا فعال نیست"),
        OrderRefusal.OrderNotEditable => ("the order has been signed, paid or deleted and can no longer change", "دستور پرداخت امضا، پرداخت یا حذف شده و قابل تغییر نیست"),
    };

    public static string WireName(this OrderAction action) => action switch
    {
        OrderAction.Create => "create",
        OrderAction.Edit => "edit",
        OrderAction.Sign => "sign",
        OrderAction.Unsign => "unsign",
        OrderAction.Pay => "pay",
        OrderAction.Delete => "delete",
    };

    public static string WireName(this TransferType type) => type switch
    {
        TransferType.Internal => "internal",
        TransferType.Paya => "paya",
    };
}

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
            Status = isDone ? "done" : WireStatus(order.Status),
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

    private static string WireStatus(OrderStatus status) => status switch
    {
        OrderStatus.Created => "created",
        OrderStatus.Pending => "pending",
        OrderStatus.Signed => "signed",
        OrderStatus.InProgress => "inprogress",
        OrderStatus.Deleted => "deleted",
    };
}

public static class RowStates
{
    public const string Ready = "ready";
    public const string Wait = "wait";
    public const string Success = "success";
    public const string Failed = "failed";
}
