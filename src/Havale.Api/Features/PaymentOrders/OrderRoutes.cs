using Havale.Api.Auth;
using Havale.Api.CallLog;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>Kilid's routes (spec §4), each with its scope; calls that change an order carry a trackId and go through the call log.</summary>
public static class PaymentOrderEndpoints
{
    public const string UserBase = "/keylead/v2/clients/{clientId}/users/{nid}";
    public const string DepositBase = UserBase + "/deposits/{deposit}";

    public static IEndpointRouteBuilder MapPaymentOrders(this IEndpointRouteBuilder routes)
    {
        var kilid = routes.MapGroup("").WithTags("Kilid");
        Changes(kilid.MapPost(DepositBase + "/requests", CreateOrder.HandleAsync), Scopes.KilidRequestCreate)
            .WithSummary("Creates a payment order of up to 1,000 rows, each by internal transfer or Paya (the seed's service).");
        kilid.MapGet(DepositBase + "/requests", ListOrders.HandleAsync)
            .RequireFinnotechScope(Scopes.KilidRequestsGet, Scopes.KilidDepositsGet)
            .WithSummary("The deposit's orders of a Jalali year and month, newest first, searched and paged.");
        kilid.MapGet(DepositBase + "/requests/{request}", ViewOrder.HandleAsync)
            .RequireFinnotechScope(Scopes.KilidRequestGet)
            .WithSummary("One order with its rows' states, history and signatures.");
        Changes(kilid.MapPatch(DepositBase + "/requests/{request}", EditOrder.HandleAsync), Scopes.KilidRequestUpdate)
            .WithSummary("Changes an order's rows, ceremonies or note while nobody has signed it.");
        Changes(kilid.MapDelete(DepositBase + "/requests/{request}", DeleteOrder.HandleAsync), Scopes.KilidRequestDelete)
            .WithSummary("Deletes an order while nobody has signed it.");
        Changes(kilid.MapPost(DepositBase + "/requests/{request}/sign", SignOrder.SignAsync), Scopes.KilidRequestSign)
            .WithSummary("The caller signs the order, in ceremony order (Havale's design).");
        Changes(kilid.MapPost(DepositBase + "/requests/{request}/unsign", SignOrder.UnsignAsync), Scopes.KilidRequestSign)
            .WithSummary("The caller withdraws their signature before the order is paid (Havale's design).");
        Changes(kilid.MapPost(DepositBase + "/requests/{request}/pay", PayOrder.HandleAsync), Scopes.KilidRequestPay)
            .WithSummary("A signatory pays a signed order: every row held or posted in one step, or nothing (Havale's design).");
        kilid.MapGet(UserBase + "/deposits", ActiveDeposits.HandleAsync)
            .RequireFinnotechScope(Scopes.KilidDepositsGet)
            .WithSummary("The active deposits the person may act on in Kilid.");
        kilid.MapGet(DepositBase + "/statement", Statement.HandleAsync)
            .RequireFinnotechScope(Scopes.KilidStatementGet)
            .WithSummary("The deposit's posted lines between two Jalali dates, each with the balance after it (Havale's design).");
        kilid.MapGet("/keylead/v2/clients/{clientId}/{nid}/info", CustomerInfo.HandleAsync)
            .RequireFinnotechScope(Scopes.KilidUserGet)
            .WithSummary("The person's first and last name.");
        return routes;
    }

    /// <summary>
    /// The order writes: each commits only through the request's HavaleDb (the rails' many-payment included), so a
    /// write cut off before its commit runs afresh on a retry (CallLogMetadata.RerunsUncommittedWrites).
    /// </summary>
    private static RouteHandlerBuilder Changes(RouteHandlerBuilder builder, string scope)
        => builder.RequireTrackId().WithCallLogOfRequestDbWrites().RequireFinnotechScope(scope);
}
