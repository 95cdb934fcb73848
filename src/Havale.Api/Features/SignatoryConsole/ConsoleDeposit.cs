using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>One deposit: its orders, newest first, a page at a time, and the way to its statement.</summary>
public static class ConsoleDeposit
{
    public static async Task<IResult> ShowAsync(HttpContext context, string deposit, string? page, HavaleDb db, IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        var nid = context.User.Person().Nid;
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        if (await ConsoleQueries.ActableDepositAsync(db, nid, deposit, cancellationToken) is not { } account)
        {
            return ConsolePages.NotFound(viewer);
        }
        if (ConsolePages.PageNumber(page) is not { } pageNumber)
        {
            return ConsolePages.Problem(ConsolePages.PageOutOfRange, StatusCodes.Status400BadRequest, viewer, ConsolePages.DepositPath(account.Number));
        }
        var orders = await ConsoleQueries.DepositOrdersAsync(db, DepositNumber.Parse(account.Number), pageNumber, cancellationToken);
        var body = new StringBuilder($"<h1>دستورهای پرداخت حساب {Code(account.Number)}</h1>");
        body.Append($"<p>{E(ConsoleFormat.Number(account.RequiredSignatures))} امضا برای پرداخت لازم است. ")
            .Append($"<a href=\"{E(ConsolePages.DepositPath(account.Number))}/statement\">صورت‌حساب این حساب</a></p>");
        body.Append("<table class=\"orders\"><thead><tr><th>شماره</th><th>وضعیت</th><th>یادداشت</th><th>تاریخ ایجاد</th><th>ردیف‌ها</th><th>مبلغ کل</th><th></th></tr></thead><tbody>");
        foreach (var order in orders)
        {
            body.Append($"<tr data-order=\"{order.Request}\"><td>{E(ConsolePages.OrderNumber(order.Request))}</td><td>{E(ConsoleFormat.OrderStatus(order.Status))}</td>")
                .Append($"<td>{E(order.Note)}</td><td>{E(ConsoleFormat.KilidDate(order.CreatedDate))}</td>")
                .Append($"<td>{E(ConsoleFormat.Number(order.Destinations.Count))}</td><td>{Amount(order.Destinations.Sum(row => row.Amount))}</td>")
                .Append($"<td><a href=\"{E(ConsolePages.OrderPath(account.Number, order.Request))}\">مشاهده</a></td></tr>");
        }
        body.Append("</tbody></table>");
        if (orders.Count == 0)
        {
            body.Append("<p class=\"muted\">در این صفحه دستور پرداختی نیست.</p>");
        }
        body.Append(Pager(ConsolePages.DepositPath(account.Number) + "?", pageNumber, orders.Count == ConsoleLimits.DepositOrdersPageSize));
        return ConsolePages.Html(Page("دستورهای پرداخت", body.ToString(), viewer));
    }

    /// <summary>Previous and next links; <paramref name="baseAddress"/> ends in '?' or '&amp;'.</summary>
    public static string Pager(string baseAddress, int page, bool mayHaveMore)
    {
        var links = new StringBuilder("<nav class=\"actions\">");
        if (page > 1)
        {
            links.Append($"<a class=\"button secondary\" href=\"{E(baseAddress)}page={page - 1}\">صفحه قبل</a>");
        }
        if (mayHaveMore && page < ConsoleLimits.PageNumberMax)
        {
            links.Append($"<a class=\"button secondary\" href=\"{E(baseAddress)}page={page + 1}\">صفحه بعد</a>");
        }
        return links.Append("</nav>").ToString();
    }
}
