using System.Text;
using Havale.Api.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static Havale.Api.Features.SignatoryConsole.ConsoleHtml;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>Sign-in and sign-out: the consent page's national-code and password check (<see cref="PersonLogin"/>), the console's own session.</summary>
public static class ConsoleLogin
{
    public const string ReturnUrlField = "returnUrl";
    public const string WrongCredentials = "کد ملی یا رمز عبور درست نیست.";
    public const string StaleForm = "این فرم منقضی شده یا از جای دیگری ارسال شده است. صفحه را دوباره باز کنید و از نو بفرستید.";

    public static IResult Show(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? signedOut)
        => Form(context, antiforgery, SafeReturnUrl(returnUrl), error: null, signedOut is not null ? "از میز امضاداران خارج شدید." : null,
            StatusCodes.Status200OK);

    public static async Task<IResult> SignInAsync(HttpContext context, HavaleDb db, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var form = await context.Request.ReadFormOrRefuseAsync(cancellationToken);
        var returnUrl = SafeReturnUrl(form[ReturnUrlField].ToString());
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Form(context, antiforgery, returnUrl, StaleForm, notice: null, StatusCodes.Status400BadRequest);
        }
        if (await PersonLogin.VerifyAsync(db, form["nid"].ToString(), form["password"].ToString(), cancellationToken) is not { } customer)
        {
            return Form(context, antiforgery, returnUrl, WrongCredentials, notice: null, StatusCodes.Status401Unauthorized);
        }
        await context.SignInAsync(ConsoleSession.Scheme, ConsoleSession.Create(customer.Nid));
        return Results.Redirect(returnUrl);
    }

    public static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ConsolePages.Problem(StaleForm, StatusCodes.Status400BadRequest, viewer: null);
        }
        await context.SignOutAsync(ConsoleSession.Scheme);
        return Results.Redirect(ConsoleSetup.LoginPath + "?signedOut=1");
    }

    /// <summary>Back only to a console page on this host: the sign-in form must not become an open redirect.</summary>
    public static string SafeReturnUrl(string? returnUrl)
        => returnUrl is { Length: > 0 and <= ConsoleLimits.ReturnUrlCharsMax } url
           && (url == ConsoleSetup.BasePath || url.StartsWith(ConsoleSetup.BasePath + "/", StringComparison.Ordinal))
           && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
           // Dot segments, plain or escaped, would climb out of /console once the browser resolves them.
           && !url.Contains("..", StringComparison.Ordinal) && !url.Contains("%2e", StringComparison.OrdinalIgnoreCase)
           && !url.StartsWith(ConsoleSetup.LoginPath, StringComparison.Ordinal)
           // Printable ASCII only: the address goes into a Location header, where a line break would split it.
           && url.All(character => character is > ' ' and < '\x7f')
            ? url
            : ConsoleSetup.BasePath;

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, string? notice, int status)
    {
        var body = new StringBuilder("<section class=\"login\"><h1>ورود به میز امضاداران</h1>");
        body.Append("<p>دستورهای پرداخت کیلید حساب‌هایی را که امضادار یا صاحب آن هستید ببینید، امضا کنید و بپردازید.</p>");
        if (notice is not null)
        {
            body.Append($"<p class=\"notice ok\" role=\"status\">{E(notice)}</p>");
        }
        if (error is not null)
        {
            body.Append($"<p class=\"notice error\" role=\"alert\">{E(error)}</p>");
        }
        body.Append($"<form method=\"post\" action=\"{ConsoleSetup.LoginPath}\">");
        body.Append(Hidden(AntiforgeryField, antiforgery.GetAndStoreTokens(context).RequestToken!)).Append(Hidden(ReturnUrlField, returnUrl));
        body.Append("<label for=\"nid\">کد ملی</label><input id=\"nid\" name=\"nid\" inputmode=\"numeric\" maxlength=\"10\" autocomplete=\"username\" dir=\"ltr\" required>");
        body.Append($"<label for=\"password\">رمز عبور</label><input id=\"password\" name=\"password\" type=\"password\" maxlength=\"{AuthLimits.PasswordCharsMax}\" autocomplete=\"current-password\" dir=\"ltr\" required>");
        body.Append("<p class=\"muted\">در محیط آزمایشی، رمز عبور همان کد ملی است. پس از ")
            .Append(E(ConsoleFormat.Digits(ConsoleLimits.SessionIdleMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Append(" دقیقه بی‌کاری، دوباره باید وارد شوید.</p>");
        body.Append("<div class=\"actions\"><button id=\"login\" type=\"submit\">ورود</button></div></form></section>");
        return ConsolePages.Html(Page("ورود", body.ToString(), viewer: null), status);
    }
}
