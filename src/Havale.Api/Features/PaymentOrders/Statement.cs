using System.Text.Json.Serialization;
using Havale.Api.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

public sealed record StatementResult([property: JsonPropertyName("entries")] IReadOnlyList<StatementEntry> Entries);

/// <summary>One posted line of a deposit: money in (positive) or out (negative), and the posted balance after it.</summary>
public sealed record StatementEntry(
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("amount")] long Amount,
    [property: JsonPropertyName("balance")] long Balance,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("trackId")] string? TrackId);

/// <summary>
/// Statement, Havale's design (Finnotech's page is not public): the deposit's posted lines from the ledger, oldest
/// first, between two Jalali dates (both inclusive). Holds are not lines: a Paya row becomes one when its cycle posts
/// it; a voided hold never does. The balance after each line is the sum of every posted line up to it.
/// </summary>
public static class Statement
{
    public static async Task<JsonHttpResult<SuccessEnvelope<StatementResult>>> HandleAsync(HttpContext context, string deposit, string? fromDate, string? toDate, string? limit,
        string? offset, HavaleDb db, LedgerAccounts accounts, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pageSize = OrderQueries.Bounded("limit", limit, PaymentOrderLimits.StatementPageSizeDefault, 1, PaymentOrderLimits.StatementPageSizeMax);
        var skip = OrderQueries.Bounded("offset", offset, 0, 0, PaymentOrderLimits.OffsetMax);
        var fromUtc = DateOrNull("fromDate", fromDate)?.ToUniversalTime() ?? DateTimeOffset.MinValue;
        // The end date is inclusive: the range ends where the next Tehran day starts.
        var toUtc = DateOrNull("toDate", toDate)?.AddDays(1).ToUniversalTime() ?? clock.GetUtcNow().AddDays(1);
        if (fromUtc >= toUtc)
        {
            throw ApiProblem.Field("fromDate", "must not be after toDate");
        }
        return Envelopes.Ok(context, new StatementResult(await ReadAsync(db, accounts, DepositNumber.Parse(deposit), fromUtc, toUtc, skip, pageSize,
            cancellationToken)));
    }

    /// <summary>
    /// A page of the deposit's posted lines from <paramref name="fromUtc"/> (inclusive) to <paramref name="toUtc"/>
    /// (exclusive), oldest first, each with the balance after it; the API and the signatory console both read it here.
    /// </summary>
    public static async Task<List<StatementEntry>> ReadAsync(HavaleDb db, LedgerAccounts accounts, DepositNumber deposit, DateTimeOffset fromUtc,
        DateTimeOffset toUtc, int skip, int pageSize, CancellationToken cancellationToken)
    {
        var accountId = await accounts.FindIdAsync(db, LedgerAccountCodes.Deposit(deposit), cancellationToken);
        if (accountId is not { } id)
        {
            return [];
        }
        var lines = db.LedgerTransfers.AsNoTracking()
            .Where(transfer => (transfer.DebitAccountId == id || transfer.CreditAccountId == id)
                && (transfer.Kind == TransferKind.Posted || transfer.Kind == TransferKind.PostPending));
        var page = await lines.Where(transfer => transfer.CreatedUtc >= fromUtc && transfer.CreatedUtc < toUtc)
            .OrderBy(transfer => transfer.Id).Skip(skip).Take(pageSize).ToListAsync(cancellationToken);
        if (page.Count == 0)
        {
            return [];
        }
        var firstId = page[0].Id;
        var balanceRials = await lines.Where(transfer => transfer.Id < firstId)
            .SumAsync(transfer => transfer.CreditAccountId == id ? transfer.AmountRials : -transfer.AmountRials, cancellationToken);
        var entries = new List<StatementEntry>(page.Count);
        foreach (var line in page)
        {
            var amountRials = line.CreditAccountId == id ? line.AmountRials : -line.AmountRials;
            balanceRials = checked(balanceRials + amountRials);
            entries.Add(new StatementEntry(Jalali.KilidDateTime(line.CreatedUtc), amountRials, balanceRials, Describe(line, amountRials > 0),
                line.Reference ?? line.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), line.TrackId));
        }
        return entries;
    }

    private static DateTimeOffset? DateOrNull(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }
        return Jalali.TryParseDate(text, out var startOfDay, out var error) ? startOfDay : throw ApiProblem.Field(field, error);
    }

    private static string Describe(LedgerTransfer line, bool isCredit)
    {
        if (line.Kind == TransferKind.Posted && line.Note is { Length: > 0 } note)
        {
            return note;
        }
        var counterparty = line.Counterparty ?? "";
        return line.Rail switch
        {
            RailKind.Genesis => "opening balance",
            RailKind.Internal => isCredit ? "internal transfer in" : $"internal transfer to {counterparty}",
            RailKind.Pol => $"Pol to {counterparty}",
            RailKind.Paya => $"Paya to {counterparty}",
            RailKind.Settlement => $"settlement to {counterparty}",
        };
    }
}
