using System.Text;
using Havale.Api.Features.PaymentOrders;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>The order page and the confirmation page that repeats its total and row count before anything is done.</summary>
public static class ConsoleOrderPage
{
    public static string Render(ConsoleOrderView found, NationalCode viewerNid, ConsoleOutcome? outcome, ConsoleViewer viewer)
    {
        var (account, view, names) = found;
        var body = new StringBuilder($"<h1>دستور پرداخت شماره {E(ConsolePages.OrderNumber(view.Request))}</h1>");
        if (outcome is not null)
        {
            body.Append($"<p id=\"outcome\" class=\"notice {(outcome.IsDone ? "ok" : "error")}\" role=\"{(outcome.IsDone ? "status" : "alert")}\">")
                .Append(E(ConsoleMessages.Describe(outcome))).Append("</p>");
        }
        body.Append(Summary(view));
        body.Append(Buttons(found, viewerNid));

        body.Append("<h2>ردیف‌ها</h2><table id=\"rows\"><thead><tr><th>ردیف</th><th>مقصد</th><th>نام صاحب حساب</th><th>شرح</th><th>شناسه پرداخت</th>")
            .Append("<th>نوع انتقال</th><th>مبلغ</th><th>وضعیت</th><th>کد پیگیری</th></tr></thead><tbody>");
        var position = 0;
        foreach (var row in view.Destinations)
        {
            position++;
            var failure = row.FailureMessage is null ? "" : $"<br><span class=\"muted\">{E(row.FailureMessage)}</span>";
            body.Append($"<tr data-state=\"{E(row.State)}\"><td>{E(ConsoleFormat.Number(position))}</td><td>{Code(row.Number)}</td><td>{E(row.Name)}</td>")
                .Append($"<td>{E(row.Description)}</td><td>{(row.ReferenceCode is null ? "" : Code(row.ReferenceCode))}</td><td>{E(ConsoleFormat.TransferType(row.TransferType))}</td>")
                .Append($"<td>{Amount(row.Amount)}</td><td>{E(ConsoleFormat.RowState(row.State))}{failure}</td><td>{(row.RefCode is null ? "" : Code(row.RefCode))}</td></tr>");
        }
        body.Append("</tbody></table>");

        body.Append("<h2>تشریفات و امضاها</h2><table id=\"ceremonies\"><thead><tr><th>ترتیب</th><th>امضادار</th><th>کد ملی</th><th>امضا</th></tr></thead><tbody>");
        foreach (var ceremony in view.Ceremonies.OrderBy(ceremony => ceremony.Order))
        {
            var sign = view.Signs.FirstOrDefault(sign => sign.Nid == ceremony.Nid);
            body.Append($"<tr><td>{E(ConsoleFormat.Number(ceremony.Order))}</td><td>{E(names.GetValueOrDefault(ceremony.Nid))}</td><td>{Code(ceremony.Nid)}</td>")
                .Append($"<td>{(sign is null ? "هنوز امضا نکرده" : "امضا کرده در " + E(ConsoleFormat.KilidDate(sign.Date)))}</td></tr>");
        }
        body.Append("</tbody></table>");

        body.Append("<h2>تاریخچه</h2><table id=\"history\"><thead><tr><th>تاریخ</th><th>عملیات</th><th>انجام‌دهنده</th><th>توضیح</th></tr></thead><tbody>");
        foreach (var entry in view.History)
        {
            body.Append($"<tr><td>{E(ConsoleFormat.KilidDate(entry.Date))}</td><td>{E(ConsoleFormat.HistoryAction(entry.Action))}</td>")
                .Append($"<td>{E($"{entry.FirstName} {entry.LastName}".Trim())} {Code(entry.Nid)}</td><td>{E(entry.Description)}</td></tr>");
        }
        body.Append("</tbody></table>");
        body.Append($"<p><a href=\"{E(ConsolePages.DepositPath(account.Number))}\">همه دستورهای پرداخت این حساب</a></p>");
        return Page($"دستور پرداخت {ConsolePages.OrderNumber(view.Request)}", body.ToString(), viewer);
    }

    public static string Confirm(ConsoleOrderView found, ActionTicket ticket, string actionToken, ConsoleViewer viewer)
    {
        var view = found.View;
        var path = ConsolePages.OrderPath(ticket.Deposit, ticket.OrderId);
        var body = new StringBuilder($"<h1>تأیید {E(ConsoleMessages.Verb(ticket.Action))}</h1><section class=\"confirm\">");
        body.Append($"<p id=\"question\">{E(ConsoleMessages.Question(ticket.Action))}</p>");
        body.Append($"<p>دستور پرداخت شماره <b>{E(ConsolePages.OrderNumber(ticket.OrderId))}</b> از حساب {Code(ticket.Deposit)}</p>");
        body.Append($"<p id=\"total\">مبلغ کل: <b>{Amount(ticket.TotalRials)}</b></p>");
        body.Append($"<p id=\"row-count\">تعداد ردیف‌ها: <b>{E(ConsoleFormat.Number(ticket.RowCount))}</b></p>");
        body.Append($"<p>وضعیت کنونی: {E(ConsoleFormat.OrderStatus(view.Status))}</p>");
        body.Append($"<div class=\"actions\"><form method=\"post\" action=\"{E(path)}/{ConsoleMessages.Slug(ticket.Action)}\">")
            .Append(Hidden(AntiforgeryField, viewer.AntiforgeryToken)).Append(Hidden(ConsoleActionTokens.FormField, actionToken))
            .Append($"<button id=\"confirm\" type=\"submit\">بله، {E(ConsoleMessages.Verb(ticket.Action))}</button></form>")
            .Append($"<a id=\"cancel\" class=\"button secondary\" href=\"{E(path)}\">انصراف</a></div></section>");
        return Page($"تأیید {ConsoleMessages.Verb(ticket.Action)}", body.ToString(), viewer);
    }

    private static string Summary(OrderView view)
        => new StringBuilder("<table id=\"summary\"><tbody>")
            .Append($"<tr><th>حساب مبدا</th><td>{Code(view.Number)}</td></tr>")
            .Append($"<tr><th>وضعیت</th><td id=\"status\" data-status=\"{E(view.Status)}\">{E(ConsoleFormat.OrderStatus(view.Status))}</td></tr>")
            .Append($"<tr><th>یادداشت</th><td>{E(view.Note)}</td></tr>")
            .Append($"<tr><th>تاریخ ایجاد</th><td>{E(ConsoleFormat.KilidDate(view.CreatedDate))}</td></tr>")
            .Append($"<tr><th>آخرین تغییر</th><td>{E(ConsoleFormat.KilidDate(view.LastUpdate))}</td></tr>")
            .Append($"<tr><th>تعداد ردیف‌ها</th><td>{E(ConsoleFormat.Number(view.Destinations.Count))}</td></tr>")
            .Append($"<tr><th>مبلغ کل</th><td>{Amount(view.Destinations.Sum(row => row.Amount))}</td></tr>")
            .Append("</tbody></table>").ToString();

    /// <summary>
    /// The actions offered to this viewer. Offering is a courtesy: whether an action is allowed is decided by the
    /// Kilid rules when it is confirmed, so an out-of-turn signer is offered "sign" and told why it is refused.
    /// </summary>
    private static string Buttons(ConsoleOrderView found, NationalCode viewerNid)
    {
        var (account, view, _) = found;
        var isOpen = view.Status is "created" or "pending" or "signed";
        var isNamed = view.Ceremonies.Any(ceremony => ceremony.Nid == viewerNid.Value);
        var hasSigned = view.Signs.Any(sign => sign.Nid == viewerNid.Value);
        var isSignatory = account.Members.Any(member => member.Nid == viewerNid.Value && member.IsSignatory);
        var path = ConsolePages.OrderPath(account.Number, view.Request);
        var buttons = new StringBuilder("<div class=\"actions\">");
        if (isOpen && isNamed && !hasSigned)
        {
            buttons.Append($"<a id=\"sign\" class=\"button\" href=\"{E(path)}/sign\">امضا</a>");
        }
        if (isOpen && hasSigned)
        {
            buttons.Append($"<a id=\"unsign\" class=\"button secondary\" href=\"{E(path)}/unsign\">پس گرفتن امضا</a>");
        }
        if (view.Status == "signed" && isSignatory)
        {
            buttons.Append($"<a id=\"pay\" class=\"button\" href=\"{E(path)}/pay\">پرداخت</a>");
        }
        return buttons.Append("</div>").ToString();
    }
}
