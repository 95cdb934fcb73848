using Havale.Api.CallLog;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Rails;
using Microsoft.AspNetCore.Antiforgery;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// Sign, unsign and pay: a confirmation page that repeats the total and the row count, then the form it carries.
/// The rules are Kilid's own (<see cref="SignOrder"/>, <see cref="PayOrder"/>), called as the API calls them; what
/// the console adds is the session, antiforgery, the one-time ticket and a Persian answer.
/// </summary>
public static class ConsoleActions
{
    public const string StaleTicket =
        "این تأیید برای این کار، این دستور پرداخت یا این ورود شما صادر نشده است. از صفحه دستور پرداخت دوباره شروع کنید.";

    public static async Task<IResult> ConfirmAsync(HttpContext context, string deposit, string order, string action, HavaleDb db,
        IAntiforgery antiforgery, ConsoleActionTokens tokens, CancellationToken cancellationToken)
    {
        var (nid, sessionId) = context.User.Person();
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        if (ConsoleMessages.FromSlug(action) is not { } kind || await ConsoleOrder.FindAsync(db, nid, deposit, order, cancellationToken) is not { } found)
        {
            return ConsolePages.NotFound(viewer);
        }
        var view = found.View;
        var ticket = new ActionTicket(sessionId, nid.Value, view.Number, view.Request, kind, view.Destinations.Count,
            view.Destinations.Sum(row => row.Amount), ConsoleActionTokens.NewTrackId());
        return ConsolePages.Html(ConsoleOrderPage.Confirm(found, ticket, tokens.Issue(ticket), viewer));
    }

    public static async Task<IResult> ActAsync(HttpContext context, string deposit, string order, string action, HavaleDb db,
        IDbContextFactory<HavaleDb> factory, PaymentRails rails, TimeProvider clock, IAntiforgery antiforgery, ConsoleActionTokens tokens,
        CancellationToken cancellationToken)
    {
        var (nid, sessionId) = context.User.Person();
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ConsolePages.Problem(ConsoleLogin.StaleForm, StatusCodes.Status400BadRequest, viewer);
        }
        var form = await context.Request.ReadFormOrRefuseAsync(cancellationToken);
        var ticket = tokens.Read(form[ConsoleActionTokens.FormField].ToString());
        if (ticket is null || ticket.SessionId != sessionId || ticket.Nid != nid.Value || ticket.Deposit != deposit
            || ticket.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture) != order || ConsoleMessages.Slug(ticket.Action) != action)
        {
            return ConsolePages.Problem(StaleTicket, StatusCodes.Status400BadRequest, viewer);
        }
        // Checked again at submit: the person may have stopped being a signatory since the confirmation page.
        if (await ConsoleQueries.ActableDepositAsync(db, nid, deposit, cancellationToken) is null)
        {
            return ConsolePages.NotFound(viewer);
        }
        if (await ConsoleActionLog.TryAdmitAsync(factory, ticket, clock.GetUtcNow(),
            context.RequestServices.GetRequiredService<Platform.GatewayNodes>().Id, cancellationToken) is not { } callId)
        {
            return await RepeatAsync(factory, ticket, viewer, cancellationToken);
        }
        // Once admitted the action runs to its end even if the browser goes away: a double click cancels the first
        // request in the browser, and its repeat must find the first finished, not rolled back and stuck "in progress".
        var outcome = await RunAsync(db, rails, clock, ticket, CancellationToken.None);
        var location = ConsolePages.OrderPath(ticket.Deposit, ticket.OrderId) + "?outcome=" + outcome.Key;
        await ConsoleActionLog.CompleteAsync(factory, callId, location, clock.GetUtcNow());
        return ConsolePages.SeeOther(location);
    }

    private static async Task<ConsoleOutcome> RunAsync(HavaleDb db, PaymentRails rails, TimeProvider clock, ActionTicket ticket,
        CancellationToken cancellationToken)
    {
        var view = await OrderReader.FindAsync(db, DepositNumber.Parse(ticket.Deposit), ticket.OrderId, cancellationToken)
                   ?? throw new InvariantViolationException("invariant failed: an order once shown is never removed");
        // Rows change only while nobody has signed (edit), but a signer must sign what they were shown.
        if (view.Destinations.Count != ticket.RowCount || view.Destinations.Sum(row => row.Amount) != ticket.TotalRials)
        {
            return new ConsoleOutcome(ticket.Action, null, null, HasOrderChanged: true);
        }
        return ticket.Action switch
        {
            ConsoleAction.Sign => new ConsoleOutcome(ticket.Action,
                await SignOrder.TrySignAsync(db, ticket.Deposit, ticket.OrderId, ticket.Nid, clock.GetUtcNow(), cancellationToken), null, false),
            ConsoleAction.Unsign => new ConsoleOutcome(ticket.Action,
                await SignOrder.TryUnsignAsync(db, ticket.Deposit, ticket.OrderId, ticket.Nid, clock.GetUtcNow(), cancellationToken), null, false),
            // A person paying in their own name carries no token, so no token's per-transfer limit applies.
            ConsoleAction.Pay => new ConsoleOutcome(ticket.Action, null, await PayOrder.TryPayAsync(db, rails, clock,
                new OrderPayment(ticket.Deposit, ticket.OrderId, ticket.Nid, ConsoleSession.CallerId, ticket.TrackId, TransferRialsMax: null),
                cancellationToken), false),
        };
    }

    private static async Task<IResult> RepeatAsync(IDbContextFactory<HavaleDb> factory, ActionTicket ticket, ConsoleViewer viewer,
        CancellationToken cancellationToken)
    {
        var (state, location) = await ConsoleActionLog.FirstOutcomeAsync(factory, ticket, cancellationToken);
        return state switch
        {
            CallState.Completed => ConsolePages.SeeOther(location!),
            CallState.InProgress => ConsolePages.Problem("همین درخواست هنوز در حال انجام است. چند لحظه بعد وضعیت دستور پرداخت را ببینید.",
                StatusCodes.Status409Conflict, viewer, ConsolePages.OrderPath(ticket.Deposit, ticket.OrderId)),
            CallState.Interrupted => ConsolePages.Problem("این درخواست با راه‌اندازی دوباره درگاه قطع شد. وضعیت دستور پرداخت را ببینید و در صورت نیاز دوباره اقدام کنید.",
                StatusCodes.Status409Conflict, viewer, ConsolePages.OrderPath(ticket.Deposit, ticket.OrderId)),
        };
    }
}
