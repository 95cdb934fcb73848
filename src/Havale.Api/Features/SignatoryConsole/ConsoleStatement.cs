using System.Text;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Ledger;
using Microsoft.AspNetCore.Antiforgery;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// A deposit's statement as the API's statement reads it (<see cref="Statement.ReadAsync"/>): posted lines oldest
/// first, each with the balance after it, between two Jalali dates the person may type in Persian or ASCII digits.
/// </summary>
public static class ConsoleStatement
{
    public static async Task<IResult> ShowAsync(HttpContext context, string deposit, string? from, string? to, string? page, HavaleDb db,
        LedgerAccounts accounts, TimeProvider clock, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var nid = context.User.Person().Nid;
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        if (await ConsoleQueries.ActableDepositAsync(db, nid, deposit, cancellationToken) is not { } account)
        {
            return ConsolePages.NotFound(viewer);
        }
        var back = ConsolePages.DepositPath(account.Number) + "/statement";
        if (ConsolePages.PageNumber(page) is not { } pageNumber)
        {
            return ConsolePages.Problem(ConsolePages.PageOutOfRange, StatusCodes.Status400BadRequest, viewer, back);
        }
        var (fromDay, fromError) = Day(from, "از تاریخ");
        var (toDay, toError) = Day(to, "تا تاریخ");
        if ((fromError ?? toError) is { } dateError)
        {
            return ConsolePages.Problem(dateError, StatusCodes.Status400BadRequest, viewer, back);
        }
        var fromUtc = fromDay?.ToUniversalTime() ?? DateTimeOffset.MinValue;
        // The end date is inclusive, as in the API: the range ends where the next Tehran day starts.
        var toUtc = toDay?.AddDays(1).ToUniversalTime() ?? clock.GetUtcNow().AddDays(1);
        if (fromUtc >= toUtc)
        {
            return ConsolePages.Problem("«از تاریخ» نباید پس از «تا تاریخ» باشد.", StatusCodes.Status400BadRequest, viewer, back);
        }
        var lines = await Statement.ReadAsync(db, accounts, DepositNumber.Parse(account.Number), fromUtc, toUtc,
            (pageNumber - 1) * ConsoleLimits.StatementPageSize, ConsoleLimits.StatementPageSize, cancellationToken);

        var body = new StringBuilder($"<h1>صورت‌حساب {Code(account.Number)}</h1>");
        body.Append($"<form method=\"get\" action=\"{E(back)}\" class=\"actions\">")
            .Append($"<label>از تاریخ <input name=\"from\" value=\"{E(from)}\" placeholder=\"۱۴۰۸/۱۰/۰۱\" maxlength=\"{ConsoleLimits.TypedDateCharsMax}\" dir=\"ltr\"></label>")
            .Append($"<label>تا تاریخ <input name=\"to\" value=\"{E(to)}\" placeholder=\"۱۴۰۸/۱۰/۳۰\" maxlength=\"{ConsoleLimits.TypedDateCharsMax}\" dir=\"ltr\"></label>")
            .Append("<button type=\"submit\" class=\"secondary\">نمایش</button></form>");
        body.Append("<table id=\"statement\"><thead><tr><th>تاریخ</th><th>شرح</th><th>برداشت</th><th>واریز</th><th>مانده</th><th>مرجع</th></tr></thead><tbody>");
        foreach (var line in lines)
        {
            var amountRials = Math.Abs(line.Amount);
            body.Append($"<tr><td>{E(ConsoleFormat.KilidDate(line.Date))}</td><td><bdi>{E(line.Description)}</bdi></td>")
                .Append($"<td>{(line.Amount < 0 ? Amount(amountRials) : "")}</td><td>{(line.Amount > 0 ? Amount(amountRials) : "")}</td>")
                .Append($"<td>{Amount(line.Balance)}</td><td>{Code(line.Reference)}</td></tr>");
        }
        body.Append("</tbody></table>");
        if (lines.Count == 0)
        {
            body.Append("<p class=\"muted\">در این بازه گردشی ثبت نشده است.</p>");
        }
        var query = $"{back}?from={Uri.EscapeDataString(from ?? "")}&to={Uri.EscapeDataString(to ?? "")}&";
        body.Append(ConsoleDeposit.Pager(query, pageNumber, lines.Count == ConsoleLimits.StatementPageSize));
        return ConsolePages.Html(Page("صورت‌حساب", body.ToString(), viewer));
    }

    /// <summary>A typed Jalali day: none when left empty, its first instant in Tehran, or a Persian sentence naming the field.</summary>
    private static (DateTimeOffset? StartTehran, string? Error) Day(string? typed, string field)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return (null, null);
        }
        return typed.Length <= ConsoleLimits.TypedDateCharsMax && Jalali.TryParseDate(ConsoleFormat.TypedDate(typed), out var startTehran, out _)
            ? (startTehran, null)
            : (null, $"«{field}» باید تاریخی شمسی به شکل ۱۴۰۸/۱۰/۱۵ باشد، میان سال‌های {ConsoleFormat.Digits(Jalali.YearMin.ToString(System.Globalization.CultureInfo.InvariantCulture))} و {ConsoleFormat.Digits(Jalali.YearMax.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
    }
}
