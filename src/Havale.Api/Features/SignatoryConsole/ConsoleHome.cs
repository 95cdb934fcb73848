using System.Text;
using Havale.Api.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>The first page after sign-in: the orders waiting for this person's signature, those ready to pay, and their deposits.</summary>
public static class ConsoleHome
{
    public static async Task<IResult> ShowAsync(HttpContext context, HavaleDb db, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var nid = context.User.Person().Nid;
        var viewer = await ConsolePages.ViewerAsync(context, db, antiforgery, cancellationToken);
        var awaitingSignature = await ConsoleQueries.AwaitingSignatureAsync(db, nid, cancellationToken);
        var awaitingPayment = await ConsoleQueries.AwaitingPaymentAsync(db, nid, cancellationToken);
        var deposits = await ConsoleQueries.DepositsAsync(db, nid, cancellationToken);

        var body = new StringBuilder($"<h1>{E(viewer.FullName)}، خوش آمدید</h1>");
        body.Append("<h2 id=\"awaiting-signature\">در انتظار امضای شما</h2>");
        body.Append(awaitingSignature.Count == 0
            ? "<p class=\"muted\">دستور پرداختی در انتظار امضای شما نیست.</p>"
            : Orders(awaitingSignature, showTurn: true));
        body.Append("<h2 id=\"awaiting-payment\">امضا شده، آماده پرداخت</h2>");
        body.Append(awaitingPayment.Count == 0
            ? "<p class=\"muted\">دستور پرداخت امضاشده‌ای برای پرداخت نیست.</p>"
            : Orders(awaitingPayment, showTurn: false));
        body.Append("<h2>حساب‌های شما</h2><table id=\"deposits\"><thead><tr><th>شماره حساب</th><th>شبا</th><th>نقش شما</th><th>امضای لازم</th><th>وضعیت</th><th></th></tr></thead><tbody>");
        foreach (var deposit in deposits)
        {
            var roles = string.Join("، ", new[] { deposit.IsOwner ? "صاحب حساب" : null, deposit.IsSignatory ? "امضادار" : null }.OfType<string>());
            body.Append($"<tr><td>{Code(deposit.Number)}</td><td>{Code(Havale.Domain.DepositNumber.Parse(deposit.Number).ToIban().Value)}</td>")
                .Append($"<td>{E(roles)}</td><td>{E(ConsoleFormat.Number(deposit.RequiredSignatures))}</td><td>{E(Status(deposit.Status))}</td>")
                .Append($"<td><a href=\"{E(ConsolePages.DepositPath(deposit.Number))}\">دستورهای پرداخت</a> · ")
                .Append($"<a href=\"{E(ConsolePages.DepositPath(deposit.Number))}/statement\">صورت‌حساب</a></td></tr>");
        }
        body.Append("</tbody></table>");
        return ConsolePages.Html(Page("میز امضاداران", body.ToString(), viewer));
    }

    private static string Orders(List<ConsoleOrderLine> orders, bool showTurn)
    {
        var table = new StringBuilder("<table class=\"orders\"><thead><tr><th>شماره</th><th>حساب</th><th>یادداشت</th><th>تاریخ ایجاد</th><th>ردیف‌ها</th><th>مبلغ کل</th>");
        table.Append(showTurn ? "<th>نوبت شما</th>" : "").Append("<th></th></tr></thead><tbody>");
        foreach (var order in orders)
        {
            table.Append($"<tr data-order=\"{order.Id}\"><td>{E(ConsolePages.OrderNumber(order.Id))}</td><td>{Code(order.Deposit)}</td><td>{E(order.Note)}</td>")
                .Append($"<td>{E(ConsoleFormat.Instant(order.CreatedUtc))}</td><td>{E(ConsoleFormat.Number(order.RowCount))}</td><td>{Amount(order.TotalRials)}</td>");
            if (showTurn)
            {
                var signingOrder = ConsoleFormat.Number(order.OwnSigningOrder ?? 0);
                table.Append(order.EarlierSignaturesMissing == 0
                    ? $"<td>ترتیب {E(signingOrder)} — نوبت شماست</td>"
                    : $"<td>ترتیب {E(signingOrder)} — {E(ConsoleFormat.Number(order.EarlierSignaturesMissing))} امضای پیش از شما مانده</td>");
            }
            table.Append($"<td><a href=\"{E(ConsolePages.OrderPath(order.Deposit, order.Id))}\">مشاهده</a></td></tr>");
        }
        return table.Append("</tbody></table>").ToString();
    }

    public static string Status(AccountStatus status) => status switch
    {
        AccountStatus.Active => "فعال",
        AccountStatus.Blocked => "مسدود",
        AccountStatus.Dormant => "راکد",
    };
}
