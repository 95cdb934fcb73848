using System.Text;
using System.Text.Encodings.Web;

namespace Havale.Api.Auth;

/// <summary>
/// The consent screens, in Persian and right to left. Plain HTML written by hand: the page has three states and no
/// script, so a view engine would add more than it saves. Every value from a request or the database is encoded.
/// </summary>
public static class ConsentPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>What each scope lets the client do, as the customer reads it before approving.</summary>
    private static readonly Dictionary<string, string> ScopeDescriptions = new(StringComparer.Ordinal)
    {
        [Scopes.InstantPayment] = "انتقال وجه آنی (پل) از حساب شما",
        [Scopes.IbanInquiry] = "استعلام صاحب شماره شبا",
        [Scopes.PolInquiry] = "استعلام پل",
        [Scopes.TransactionInquiry] = "استعلام وضعیت تراکنش",
        [Scopes.KilidRequestCreate] = "ثبت دستور پرداخت کیلید",
        [Scopes.KilidRequestsGet] = "مشاهده فهرست دستورهای پرداخت",
        [Scopes.KilidRequestGet] = "مشاهده جزئیات دستور پرداخت",
        [Scopes.KilidRequestUpdate] = "ویرایش دستور پرداخت",
        [Scopes.KilidRequestDelete] = "حذف دستور پرداخت",
        [Scopes.KilidDepositsGet] = "مشاهده حساب‌های فعال",
        [Scopes.KilidUserGet] = "استعلام اطلاعات مشتری",
        [Scopes.KilidStatementGet] = "مشاهده صورت‌حساب",
        [Scopes.KilidRequestSign] = "امضای دستور پرداخت",
        [Scopes.KilidRequestPay] = "پرداخت دستور پرداخت",
        [Scopes.TokensGet] = "مشاهده توکن‌های صادرشده",
    };

    public static string Login(string clientName, string returnUrl, string antiforgeryToken, string? error)
    {
        var body = new StringBuilder();
        body.Append($"<h1>ورود به حواله</h1><p><b>{E(clientName)}</b> می‌خواهد به حساب‌های شما دسترسی داشته باشد. برای ادامه وارد شوید.</p>");
        if (error is not null)
        {
            body.Append($"<p class=\"error\" role=\"alert\">{E(error)}</p>");
        }
        body.Append("<form method=\"post\" action=\"/dev/v2/oauth2/login\">");
        body.Append(Hidden("__RequestVerificationToken", antiforgeryToken)).Append(Hidden("returnUrl", returnUrl));
        body.Append("<label for=\"nid\">کد ملی</label><input id=\"nid\" name=\"nid\" inputmode=\"numeric\" maxlength=\"10\" autocomplete=\"username\" dir=\"ltr\" required>");
        body.Append($"<label for=\"password\">رمز عبور</label><input id=\"password\" name=\"password\" type=\"password\" maxlength=\"{AuthLimits.PasswordCharsMax}\" autocomplete=\"current-password\" dir=\"ltr\" required>");
        body.Append("<p class=\"hint\">در محیط آزمایشی، رمز عبور همان کد ملی است.</p>");
        body.Append("<button id=\"login\" type=\"submit\">ورود</button></form>");
        return Layout("ورود", body.ToString());
    }

    public static string Consent(ConsentView view, IEnumerable<KeyValuePair<string, string>> oauthParameters, string antiforgeryToken)
    {
        var body = new StringBuilder();
        body.Append($"<h1>اجازه دسترسی</h1><p>{E(view.CustomerName)} (کد ملی <span dir=\"ltr\">{E(view.Nid)}</span>)، ");
        body.Append($"<b>{E(view.ClientName)}</b> این دسترسی‌ها را درخواست کرده است:</p><ul class=\"scopes\">");
        foreach (var scope in view.Scopes)
        {
            body.Append($"<li>{E(ScopeDescriptions.GetValueOrDefault(scope, scope))} <code dir=\"ltr\">{E(scope)}</code></li>");
        }
        body.Append("</ul><form method=\"post\" action=\"/dev/v2/oauth2/authorize\">");
        body.Append(Hidden("__RequestVerificationToken", antiforgeryToken));
        foreach (var (name, value) in oauthParameters)
        {
            body.Append(Hidden(name, value));
        }
        body.Append("<fieldset><legend>حساب‌هایی که اجازه می‌دهید</legend>");
        if (view.Deposits.Count == 0)
        {
            body.Append("<p class=\"error\">حسابی که بتوانید روی آن اقدام کنید پیدا نشد.</p>");
        }
        foreach (var deposit in view.Deposits)
        {
            body.Append($"<label class=\"deposit\"><input type=\"checkbox\" name=\"deposits\" value=\"{E(deposit)}\"> <span dir=\"ltr\">{E(deposit)}</span></label>");
        }
        body.Append("</fieldset>");
        body.Append($"<label for=\"grantLimit\">سقف مبلغ هر تراکنش (ریال)، حداکثر <span dir=\"ltr\">{view.LimitRials:N0}</span></label>");
        body.Append($"<input id=\"grantLimit\" name=\"grantLimit\" inputmode=\"numeric\" dir=\"ltr\" value=\"{view.LimitRials}\" required>");
        if (view.CallsPerMonth is { } calls)
        {
            body.Append($"<label for=\"grantCount\">تعداد فراخوانی در هر ماه، حداکثر <span dir=\"ltr\">{calls:N0}</span></label>");
            body.Append($"<input id=\"grantCount\" name=\"grantCount\" inputmode=\"numeric\" dir=\"ltr\" value=\"{calls}\" required>");
        }
        body.Append("<div class=\"actions\"><button id=\"approve\" name=\"decision\" value=\"approve\" type=\"submit\">تأیید</button>");
        body.Append("<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\" formnovalidate class=\"secondary\">رد</button></div></form>");
        if (view.Error is not null)
        {
            body.Insert(0, $"<p class=\"error\" role=\"alert\">{E(view.Error)}</p>");
        }
        return Layout("اجازه دسترسی", body.ToString());
    }

    /// <summary>A request that cannot be sent back to the client (unknown client or redirect address) or that breaks a rule.</summary>
    public static string Error(string message, string? detail)
    {
        var body = $"<h1>درخواست نامعتبر</h1><p class=\"error\" role=\"alert\">{E(message)}</p>"
                   + (detail is null ? "" : $"<p dir=\"ltr\" class=\"detail\">{E(detail)}</p>");
        return Layout("خطا", body);
    }

    private static string Hidden(string name, string value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    private static string E(string text) => Html.Encode(text);

    private static string Layout(string title, string body) => $$"""
        {{HtmlPageStart.Of(E(title))}}
        <style>
        body { font-family: Vazirmatn, Tahoma, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.8; }
        label { display: block; margin-top: .8rem; } input[type=text], input:not([type]), input[type=password] { width: 100%; padding: .4rem; }
        .deposit { display: flex; gap: .5rem; align-items: center; } .error { color: #b00020; } .hint, .detail { color: #555; font-size: .9rem; }
        .actions { display: flex; gap: 1rem; margin-top: 1rem; } button { padding: .5rem 1.5rem; } .secondary { background: #eee; }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;
}

public sealed record ConsentView(string ClientName, string CustomerName, string Nid, IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Deposits, long LimitRials, int? CallsPerMonth, string? Error);
