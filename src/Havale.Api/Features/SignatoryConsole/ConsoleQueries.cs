using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.Features.PaymentOrders;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>A deposit the person may act on, with their roles on it.</summary>
public sealed record ConsoleDepositLine(string Number, AccountStatus Status, int RequiredSignatures, bool IsOwner, bool IsSignatory);

/// <summary>An order as the home page lists it: enough to recognise it and to see whose turn it is.</summary>
public sealed record ConsoleOrderLine(long Id, string Deposit, string? Note, DateTimeOffset CreatedUtc, OrderStatus Status, int RowCount,
    long TotalRials, int? OwnSigningOrder, int EarlierSignaturesMissing);

/// <summary>
/// The console's reads. Which deposits a person may see is <see cref="GrantRules.ActableDeposits"/>, the rule the API's
/// tokens are checked by, and it is part of every query's WHERE: another person's deposit is simply not found.
/// </summary>
public static class ConsoleQueries
{
    private static readonly OrderStatus[] AwaitingSignatures = [OrderStatus.Created, OrderStatus.Pending];

    public static Task<List<ConsoleDepositLine>> DepositsAsync(HavaleDb db, NationalCode nid, CancellationToken cancellationToken)
        => (from member in db.DepositMembers.AsNoTracking()
            join deposit in db.Deposits.AsNoTracking() on member.DepositNumber equals deposit.Number
            where member.Nid == nid.Value && GrantRules.ActableDeposits(db, nid.Value).Contains(deposit.Number)
            orderby deposit.Number
            select new ConsoleDepositLine(deposit.Number, deposit.Status, deposit.RequiredSignatures, member.IsOwner, member.IsSignatory))
            .Take(ConsoleLimits.DepositsShownMax).ToListAsync(cancellationToken);

    /// <summary>The deposit with its people, when <paramref name="text"/> is a deposit number the person may act on.</summary>
    public static async Task<Deposit?> ActableDepositAsync(HavaleDb db, NationalCode nid, string text, CancellationToken cancellationToken)
    {
        if (!DepositNumber.TryParse(text, out var number, out _))
        {
            return null;
        }
        return await db.Deposits.AsNoTracking().Include(deposit => deposit.Members)
            .Where(deposit => deposit.Number == number.Value && GrantRules.ActableDeposits(db, nid.Value).Contains(deposit.Number))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Orders that name the person in their ceremonies and still lack their signature, in ceremony order: those they
    /// sign first come first, the oldest first within each. How many earlier signatures are missing is shown so the
    /// person knows whose turn it is; the rule itself is enforced by <see cref="SignOrder.TrySignAsync"/>.
    /// </summary>
    public static async Task<List<ConsoleOrderLine>> AwaitingSignatureAsync(HavaleDb db, NationalCode nid, CancellationToken cancellationToken)
    {
        var who = nid.Value;
        // Tables named inside the query's lambdas are locals: an extension property may not appear in an expression tree.
        var ceremonies = db.OrderCeremonies;
        var signatures = db.OrderSignatures;
        var orders = await (
                from ceremony in ceremonies.AsNoTracking()
                join order in db.PaymentOrders.AsNoTracking() on ceremony.OrderId equals order.Id
                where ceremony.Nid == who && AwaitingSignatures.Contains(order.Status)
                    && GrantRules.ActableDeposits(db, who).Contains(order.DepositNumber)
                    && !signatures.Any(signature => signature.OrderId == order.Id && signature.Nid == who)
                orderby ceremony.SigningOrder, order.Id
                select new
                {
                    order,
                    ceremony.SigningOrder,
                    EarlierMissing = ceremonies.Count(earlier => earlier.OrderId == order.Id && earlier.SigningOrder < ceremony.SigningOrder
                        && !signatures.Any(signature => signature.OrderId == order.Id && signature.Nid == earlier.Nid)),
                })
            .Take(ConsoleLimits.HomeOrdersShownMax).ToListAsync(cancellationToken);
        var sizes = await SizesAsync(db, orders.Select(line => line.order.Id).ToList(), cancellationToken);
        return orders.Select(line => Line(line.order, sizes, line.SigningOrder, line.EarlierMissing)).ToList();
    }

    /// <summary>Signed orders on deposits the person signs for: theirs to pay.</summary>
    public static async Task<List<ConsoleOrderLine>> AwaitingPaymentAsync(HavaleDb db, NationalCode nid, CancellationToken cancellationToken)
    {
        var who = nid.Value;
        var members = db.DepositMembers;
        var orders = await db.PaymentOrders.AsNoTracking()
            .Where(order => order.Status == OrderStatus.Signed
                && members.Any(member => member.DepositNumber == order.DepositNumber && member.Nid == who && member.IsSignatory))
            .OrderBy(order => order.Id).Take(ConsoleLimits.HomeOrdersShownMax).ToListAsync(cancellationToken);
        var sizes = await SizesAsync(db, orders.Select(order => order.Id).ToList(), cancellationToken);
        return orders.Select(order => Line(order, sizes, null, 0)).ToList();
    }

    /// <summary>A page of the deposit's orders, newest first, as the API's list reads them (row states from the ledger).</summary>
    public static async Task<List<OrderView>> DepositOrdersAsync(HavaleDb db, DepositNumber deposit, int page, CancellationToken cancellationToken)
    {
        var ids = await db.PaymentOrders.AsNoTracking().Where(order => order.DepositNumber == deposit.Value).OrderByDescending(order => order.Id)
            .Skip((page - 1) * ConsoleLimits.DepositOrdersPageSize).Take(ConsoleLimits.DepositOrdersPageSize).Select(order => order.Id)
            .ToListAsync(cancellationToken);
        return await OrderReader.LoadAsync(db, deposit, ids, cancellationToken);
    }

    public static async Task<string> FullNameAsync(HavaleDb db, NationalCode nid, CancellationToken cancellationToken)
        => await db.Customers.AsNoTracking().Where(customer => customer.Nid == nid.Value)
               .Select(customer => customer.FirstName + " " + customer.LastName).SingleOrDefaultAsync(cancellationToken)
           ?? throw new InvariantViolationException("invariant failed: a signed-in person is a customer");

    /// <summary>Each order's row count and total, in one grouped query.</summary>
    private static async Task<Dictionary<long, (int Count, long TotalRials)>> SizesAsync(HavaleDb db, List<long> ids, CancellationToken cancellationToken)
        => (await db.OrderDestinations.AsNoTracking().Where(row => ids.Contains(row.OrderId)).GroupBy(row => row.OrderId)
                .Select(group => new { group.Key, Count = group.Count(), TotalRials = group.Sum(row => row.AmountRials) })
                .ToListAsync(cancellationToken))
            .ToDictionary(size => size.Key, size => (size.Count, size.TotalRials));

    private static ConsoleOrderLine Line(PaymentOrder order, Dictionary<long, (int Count, long TotalRials)> sizes, int? signingOrder, int earlierMissing)
    {
        var (count, totalRials) = sizes.GetValueOrDefault(order.Id);
        return new ConsoleOrderLine(order.Id, order.DepositNumber, order.Note, order.CreatedUtc, order.Status, count, totalRials, signingOrder, earlierMissing);
    }
}
