using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>View one order: its rows' states as the ledger has them now, its history and its signatures.</summary>
public static class ViewOrder
{
    public static async Task<JsonHttpResult<SuccessEnvelope<OrderView>>> HandleAsync(HttpContext context, string deposit, string request, string? nationalCode, HavaleDb db,
        CancellationToken cancellationToken)
    {
        var orderId = OrderLookup.OrderId(request);
        var account = await OrderLookup.DepositAsync(db, deposit, cancellationToken);
        OrderQueries.RequireMemberIfGiven(nationalCode, account);
        var view = await OrderReader.FindAsync(db, DepositNumber.Parse(deposit), orderId, cancellationToken)
                   ?? throw new ApiProblem(ErrorCode.NotFound, OrderLookup.NoSuchOrder);
        return Envelopes.Ok(context, view);
    }
}

/// <summary>Query parameters shared by the reads, each parsed once with its field named.</summary>
public static class OrderQueries
{
    /// <summary><c>nationalCode</c> on reads names who is looking: an owner or signatory of the deposit.</summary>
    public static void RequireMemberIfGiven(string? nationalCode, Accounts.Deposit deposit)
    {
        if (nationalCode is null)
        {
            return;
        }
        if (!NationalCode.TryParse(nationalCode, out var viewer, out var error))
        {
            throw ApiProblem.Field("nationalCode", error);
        }
        if (!deposit.Members.Any(member => member.Nid == viewer.Value && (member.IsOwner || member.IsSignatory)))
        {
            throw ApiProblem.Field("nationalCode", "is not an owner or signatory of this deposit");
        }
    }

    public static int Bounded(string field, string? text, int defaultValue, int min, int max)
    {
        if (text is null)
        {
            return defaultValue;
        }
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
               && value >= min && value <= max
            ? value
            : throw ApiProblem.Field(field, $"must be a whole number from {min} to {max}");
    }
}
