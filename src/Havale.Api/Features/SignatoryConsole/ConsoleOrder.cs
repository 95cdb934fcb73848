using System.Globalization;
using Havale.Api.Accounts;
using Havale.Api.Features.PaymentOrders;
using Microsoft.AspNetCore.Antiforgery;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>An order on a deposit the viewer may act on, as the API's view reads it, with the names of its ceremonies' people.</summary>
public sealed record ConsoleOrderView(Deposit Account, OrderView View, IReadOnlyDictionary<string, string> Names);

/// <summary>One order: its rows and their states, ceremonies, signatures and history, and what the viewer may do to it.</summary>
public static class ConsoleOrder
{
    public static async Task<IResult> ShowAsync(HttpContext context, string deposit, string order, string? outcome, HavaleDb db,
        IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var nid = context.User.Person().Nid;
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        if (await FindAsync(db, nid, deposit, order, cancellationToken) is not { } found)
        {
            return ConsolePages.NotFound(viewer);
        }
        // Unknown outcome names are ignored: the page shows only sentences of its own, never text from the address.
        return ConsolePages.Html(ConsoleOrderPage.Render(found, nid, ConsoleOutcome.FromKey(outcome), viewer));
    }

    /// <summary>The order when the deposit is one the person may act on and the order is on it; null otherwise, whichever it was.</summary>
    public static async Task<ConsoleOrderView?> FindAsync(HavaleDb db, NationalCode nid, string deposit, string order, CancellationToken cancellationToken)
    {
        if (!long.TryParse(order, NumberStyles.None, CultureInfo.InvariantCulture, out var orderId) || orderId <= 0
            || await ConsoleQueries.ActableDepositAsync(db, nid, deposit, cancellationToken) is not { } account
            || await OrderReader.FindAsync(db, DepositNumber.Parse(account.Number), orderId, cancellationToken) is not { } view)
        {
            return null;
        }
        var people = view.Ceremonies.Select(ceremony => ceremony.Nid).ToList();
        var names = await db.Customers.AsNoTracking().Where(customer => people.Contains(customer.Nid))
            .ToDictionaryAsync(customer => customer.Nid, customer => customer.FirstName + " " + customer.LastName, cancellationToken);
        return new ConsoleOrderView(account, view, names);
    }
}
