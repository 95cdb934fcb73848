using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// List: the deposit's orders, newest first, optionally of one Jalali year (and month), searched over row names,
/// row descriptions and the note, paged. No match is an empty array, never an error.
/// </summary>
public static class ListOrders
{
    private const int MonthsInYear = 12;

    public static async Task<JsonHttpResult<SuccessEnvelope<List<OrderView>>>> HandleAsync(HttpContext context, string deposit, string? year, string? month, string? limit, string? offset,
        string? search, string? nationalCode, HavaleDb db, CancellationToken cancellationToken)
    {
        var pageSize = OrderQueries.Bounded("limit", limit, PaymentOrderLimits.OrdersPageSizeDefault, 1, PaymentOrderLimits.OrdersPageSizeMax);
        var skip = OrderQueries.Bounded("offset", offset, 0, 0, PaymentOrderLimits.OffsetMax);
        var range = MonthRange(year, month);
        string? term = null;
        if (search is not null && !PersianText.TryNormalize(search, 0, PaymentOrderLimits.SearchCharsMax, out term, out var searchError))
        {
            throw ApiProblem.Field("search", searchError);
        }
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        OrderQueries.RequireMemberIfGiven(nationalCode, account);

        var orders = db.PaymentOrders.AsNoTracking().Where(order => order.DepositNumber == deposit);
        if (range is var (fromUtc, toUtc))
        {
            orders = orders.Where(order => order.CreatedUtc >= fromUtc && order.CreatedUtc < toUtc);
        }
        if (!string.IsNullOrEmpty(term))
        {
            // A table named inside a query's lambda is a local: an extension property may not appear in an expression tree.
            var destinations = db.OrderDestinations;
            orders = orders.Where(order => (order.Note != null && order.Note.Contains(term))
                || destinations.Any(row => row.OrderId == order.Id
                    && ((row.Name != null && row.Name.Contains(term)) || (row.Description != null && row.Description.Contains(term)))));
        }
        var ids = await orders.OrderByDescending(order => order.Id).Skip(skip).Take(pageSize).Select(order => order.Id).ToListAsync(cancellationToken);
        return Envelopes.Ok(context, await OrderReader.LoadAsync(db, DepositNumber.Parse(deposit), ids, cancellationToken));
    }

    /// <summary>The UTC instants a Jalali year, or a month of it, starts and ends at; null when no year is asked.</summary>
    private static (DateTimeOffset FromUtc, DateTimeOffset ToUtc)? MonthRange(string? year, string? month)
    {
        if (year is null)
        {
            return month is null ? null : throw ApiProblem.Field("month", "needs a year");
        }
        // One year short of the maximum, so that the year after (where the range ends) is a year Jalali still reads.
        var jalaliYear = OrderQueries.Bounded("year", year, 0, Jalali.YearMin, Jalali.YearMax - 1);
        if (month is null)
        {
            return (Jalali.StartOfMonth(jalaliYear, 1).ToUniversalTime(), Jalali.StartOfMonth(jalaliYear + 1, 1).ToUniversalTime());
        }
        var jalaliMonth = OrderQueries.Bounded("month", month, 0, 1, MonthsInYear);
        var end = jalaliMonth == MonthsInYear ? Jalali.StartOfMonth(jalaliYear + 1, 1) : Jalali.StartOfMonth(jalaliYear, jalaliMonth + 1);
        // Instants are stored in UTC; SQLite compares them as numbers, which is only right when both sides are UTC.
        return (Jalali.StartOfMonth(jalaliYear, jalaliMonth).ToUniversalTime(), end.ToUniversalTime());
    }
}
