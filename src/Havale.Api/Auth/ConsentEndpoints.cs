using System.Security.Claims;
using Havale.Api.Accounts;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Havale.Api.Auth;

/// <summary>Who logged in on the consent page: a short-lived cookie holding the national code, nothing else.</summary>
public static class ConsentSession
{
    public const string Scheme = "HavaleConsent";
    public const string NidClaim = "nid";
}

/// <summary>
/// Finnotech's authorize page (spec §2): the customer logs in, sees who asks for what, ticks deposits, sets the limit
/// and approves or denies. OpenIddict has already checked the client, the redirect URI, the response type and PKCE;
/// what is checked here are Havale's rules (scopes, limit, deposits). A request that breaks one gets a page, never a
/// redirect: the customer should see why, and a malicious link should not bounce anywhere.
/// </summary>
public static class ConsentEndpoints
{
    public const string LoginPath = "/dev/v2/oauth2/login";
    public const string LoginRateLimitPolicy = "login";
    private const string PagesTag = "Consent";

    /// <summary>The form fields the consent page adds; everything else posted back is the original OAuth request.</summary>
    private static readonly HashSet<string> ConsentFields = new(StringComparer.Ordinal) { "__RequestVerificationToken", "deposits", "grantLimit", "grantCount", "decision" };

    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(FinnotechProtocol.AuthorizePath, AuthorizeAsync).DescribedAsPages(PagesTag)
            .WithSummary("Finnotech's authorize link: the login form, or for a logged-in customer the request to approve.");
        routes.MapPost(FinnotechProtocol.AuthorizePath, AuthorizeAsync).DescribedAsPages(PagesTag).AnswersWithRedirect(StatusCodes.Status302Found)
            .DisableAntiforgery()
            .WithSummary("The customer's answer: approved with deposits and a limit, or denied; the browser goes back to the client's redirect_uri.");
        routes.MapPost(LoginPath, LoginAsync).DescribedAsPages(PagesTag).AnswersWithRedirect(StatusCodes.Status302Found)
            .DisableAntiforgery().RequireRateLimiting(LoginRateLimitPolicy)
            .WithSummary("The consent page's login: national code and password, then back to the authorize link.");
        return routes;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, HavaleDb db, IAntiforgery antiforgery, TimeProvider clock,
        IOptions<AuthOptions> options)
    {
        if (context.GetOpenIddictServerResponse() is { Error: { } error } failure)
        {
            return Page(ConsentPage.Error("این درخواست را نمی‌توان پذیرفت و به برنامه درخواست‌کننده برگردانده نمی‌شود.",
                $"{error}: {failure.ErrorDescription}"), StatusCodes.Status400BadRequest);
        }
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the authorize endpoint ran without OpenIddict reading the request");
        var client = await db.Clients.AsNoTracking().SingleAsync(known => known.ClientId == request.ClientId, context.RequestAborted);
        var scopes = request.GetScopes().ToList();
        var requestedLimit = ParseWholeNumber((string?)request[FinnotechProtocol.LimitParameter]);
        var countError = GrantRules.CheckCount((string?)request[FinnotechProtocol.CountParameter], out var requestedCount);
        if ((GrantRules.CheckScopes(client, scopes, isConsent: true) ?? GrantRules.CheckLimit(client, requestedLimit) ?? countError) is { } ruleError)
        {
            return Page(ConsentPage.Error("درخواست این برنامه با قواعد حواله سازگار نیست.", ruleError), StatusCodes.Status400BadRequest);
        }

        var session = await context.AuthenticateAsync(ConsentSession.Scheme);
        var nid = session.Principal?.FindFirstValue(ConsentSession.NidClaim);
        if (nid is null || await db.Customers.AsNoTracking().SingleOrDefaultAsync(customer => customer.Nid == nid, context.RequestAborted) is not { } customer)
        {
            var returnUrl = FinnotechProtocol.AuthorizePath + QueryOf(request);
            return Page(ConsentPage.Login(client.Name, returnUrl, antiforgery.GetAndStoreTokens(context).RequestToken!, error: null));
        }

        var actable = await GrantRules.ActableDeposits(db, nid).OrderBy(deposit => deposit).ToListAsync(context.RequestAborted);
        var view = new ConsentView(client.Name, $"{customer.FirstName} {customer.LastName}", nid, scopes, actable, requestedLimit!.Value, requestedCount, Error: null);
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return ShowConsent(context, antiforgery, view, request);
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Page(ConsentPage.Error("این فرم منقضی شده یا از جای دیگری ارسال شده است. دوباره از ابتدا شروع کنید.", null),
                StatusCodes.Status400BadRequest);
        }
        if ((string?)request["decision"] != "approve")
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "the customer denied the request",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var deposits = FinnotechProtocol.ReadList(request, FinnotechProtocol.DepositsParameter) ?? [];
        var grantLimit = ParseWholeNumber((string?)request["grantLimit"]);
        // The customer may grant fewer calls a month than the client asked for, never more; no count asked, none granted.
        // A form without the field (the page always sends it, prefilled) grants what was asked.
        var grantCount = requestedCount is null ? null
            : request["grantCount"] is null ? requestedCount : ParseWholeNumber((string?)request["grantCount"]);
        var problem = await GrantRules.CheckDepositsAsync(db, nid, deposits, context.RequestAborted) is { } depositError
            ? "حداقل یک حساب از فهرست انتخاب کنید. (" + depositError + ")"
            : grantLimit is not { } limit || limit <= 0 || limit > requestedLimit.Value
                ? $"سقف مبلغ باید عددی بین ۱ و {requestedLimit.Value} ریال باشد."
                : requestedCount is { } countMax && (grantCount is not { } count || count < 1 || count > countMax)
                    ? $"تعداد فراخوانی در ماه باید عددی بین ۱ و {countMax} باشد."
                    : null;
        if (problem is not null)
        {
            return ShowConsent(context, antiforgery, view with { Error = problem }, request);
        }

        // The session's person was found among the customers above, whose national codes the seed checked.
        var grant = new FinnotechGrant(client.ClientId, NationalCode.Parse(customer.Nid), FinnotechGrant.CheckedDeposits(deposits), grantLimit!.Value,
            FinnotechTokenType.Code, scopes,
            (string?)request[FinnotechProtocol.BankParameter] is { Length: > 0 } bank ? bank : Banks.HostBankCode,
            grantCount is { } calls ? MonthlyCallLimit.ForNewConsent((int)calls) : null);
        return Results.SignIn(grant.ToPrincipal(clock.GetUtcNow(), options.Value.AccessTokenLifetime),
            authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, HavaleDb db, IAntiforgery antiforgery)
    {
        var form = await context.Request.ReadFormOrRefuseAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        // Only ever back to the authorize page: the login form must not become an open redirect.
        if (!returnUrl.StartsWith(FinnotechProtocol.AuthorizePath + "?", StringComparison.Ordinal) || returnUrl.Contains("//", StringComparison.Ordinal))
        {
            return Page(ConsentPage.Error("نشانی بازگشت نامعتبر است.", null), StatusCodes.Status400BadRequest);
        }
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Page(ConsentPage.Error("این فرم منقضی شده یا از جای دیگری ارسال شده است. دوباره از ابتدا شروع کنید.", null),
                StatusCodes.Status400BadRequest);
        }
        var nid = form["nid"].ToString();
        var password = form["password"].ToString();
        if (await PersonLogin.VerifyAsync(db, nid, password, context.RequestAborted) is not { } customer)
        {
            // One message for an unknown person and a wrong password: the page must not confirm who is a customer.
            return Page(ConsentPage.Login("", returnUrl, antiforgery.GetAndStoreTokens(context).RequestToken!,
                "کد ملی یا رمز عبور درست نیست."), StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity([new Claim(ConsentSession.NidClaim, customer.Nid)], ConsentSession.Scheme);
        await context.SignInAsync(ConsentSession.Scheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl);
    }

    private static IResult ShowConsent(HttpContext context, IAntiforgery antiforgery, ConsentView view, OpenIddictRequest request)
    {
        var parameters = request.GetParameters()
            .Where(parameter => !ConsentFields.Contains(parameter.Key))
            .Select(parameter => new KeyValuePair<string, string>(parameter.Key, (string?)parameter.Value ?? ""));
        return Page(ConsentPage.Consent(view, parameters, antiforgery.GetAndStoreTokens(context).RequestToken!));
    }

    private static string QueryOf(OpenIddictRequest request)
        => QueryString.Create(request.GetParameters().Select(parameter =>
            new KeyValuePair<string, string?>(parameter.Key, (string?)parameter.Value))).ToUriComponent();

    private static long? ParseWholeNumber(string? text)
        => long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    private static IResult Page(string html, int status = StatusCodes.Status200OK)
        => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
