using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>What every console page shares: the answer's shape, the viewer, the error pages and the addresses.</summary>
public static class ConsolePages
{
    public static IResult Html(string html, int status = StatusCodes.Status200OK)
        => Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>After a form: the browser fetches the answer with GET, so a reload never sends the form again.</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    public static async Task<ConsoleViewer> ViewerAsync(HttpContext context, HavaleDb db, IAntiforgery antiforgery, CancellationToken cancellationToken)
        => new(await ConsoleQueries.FullNameAsync(db, context.User.Person().Nid, cancellationToken), antiforgery.GetAndStoreTokens(context).RequestToken!);

    public static IResult Problem(string message, int status, ConsoleViewer? viewer, string? backTo = null)
    {
        var body = $"<h1>درخواست انجام نشد</h1><p class=\"notice error\" role=\"alert\">{E(message)}</p>"
                   + $"<p><a class=\"button secondary\" href=\"{E(backTo ?? ConsoleSetup.BasePath)}\">بازگشت</a></p>";
        return Html(Page("خطا", body, viewer), status);
    }

    /// <summary>One answer for a deposit or order that does not exist and one that is someone else's: nothing leaks.</summary>
    public static IResult NotFound(ConsoleViewer viewer)
        => Problem("چنین حساب یا دستور پرداختی در میان حساب‌هایی که می‌توانید روی آن اقدام کنید پیدا نشد.", StatusCodes.Status404NotFound, viewer);

    public static string DepositPath(string deposit) => $"{ConsoleSetup.BasePath}/deposits/{deposit}";

    public static string OrderPath(string deposit, long orderId) => $"{DepositPath(deposit)}/orders/{orderId.ToString(CultureInfo.InvariantCulture)}";

    public static string OrderNumber(long orderId) => ConsoleFormat.Digits(orderId.ToString(CultureInfo.InvariantCulture));

    /// <summary>A positive page number from the query, within <see cref="ConsoleLimits.PageNumberMax"/>; null for anything else.</summary>
    public static int? PageNumber(string? text)
        => text is null ? 1
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= ConsoleLimits.PageNumberMax
                ? page
                : null;

    public static string PageOutOfRange
        => $"شماره صفحه باید عددی از ۱ تا {ConsoleFormat.Number(ConsoleLimits.PageNumberMax)} باشد.";

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
