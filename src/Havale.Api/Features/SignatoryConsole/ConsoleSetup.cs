using Havale.Api.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>The signatory console under /console: its session cookie, its policy and its pages.</summary>
public static class ConsoleSetup
{
    public const string BasePath = "/console";
    public const string LoginPath = BasePath + "/login";

    public static IServiceCollection AddHavaleConsole(this IServiceCollection services)
    {
        // Data Protection and antiforgery are the consent page's (Auth/AuthSetup.cs); only the session is the console's own.
        services.AddAuthentication().AddCookie(ConsoleSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = ConsoleSession.CookieName;
            cookie.Cookie.Path = BasePath;
            cookie.Cookie.HttpOnly = true;
            // Strict: a link from another site opens the console signed out, so no page of it can be driven from outside.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Idle timeout: the ticket expires this long after it was last renewed; sliding renews it while the person
            // uses the console. The handler reads the gateway's TimeProvider, so the sandbox clock moves it too.
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(ConsoleLimits.SessionIdleMinutes);
            cookie.SlidingExpiration = true;
            cookie.LoginPath = LoginPath;
            cookie.ReturnUrlParameter = ConsoleLogin.ReturnUrlField;
            cookie.Events.OnRedirectToLogin = context =>
            {
                ConsoleSecurityHeaders.Apply(context.Response);
                // A relative address: the browser stays on the host it used, whatever the proxy in front says.
                context.Response.Redirect(LoginPath + "?" + ConsoleLogin.ReturnUrlField + "="
                    + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString));
                return Task.CompletedTask;
            };
        });
        services.AddSingleton<ConsoleActionTokens>();
        services.AddAuthorizationBuilder().AddPolicy(ConsoleSession.Policy, policy => policy
            .AddAuthenticationSchemes(ConsoleSession.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(ConsoleSession.NidClaim)
            .RequireClaim(ConsoleSession.SessionIdClaim));
        return services;
    }

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        // Antiforgery is checked by each form handler itself, so that a stale form gets a Persian page, not a bare 400.
        var console = routes.MapGroup(BasePath).DescribedAsPages("Signatory console").DisableAntiforgery()
            .AddEndpointFilter<ConsoleSecurityHeaders>();
        // The stylesheet is not a page: the document leaves it out.
        console.MapGet("/console.css", () => Results.Text(ConsoleHtml.Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        console.MapGet("/login", ConsoleLogin.Show).WithSummary("The console's login form.");
        console.MapPost("/login", ConsoleLogin.SignInAsync).RequireRateLimiting(ConsentEndpoints.LoginRateLimitPolicy)
            .AnswersWithRedirect(StatusCodes.Status302Found).WithSummary("Signs a signatory in with national code and password.");

        var signedIn = console.MapGroup("").RequireAuthorization(ConsoleSession.Policy);
        signedIn.MapPost("/logout", ConsoleLogin.SignOutAsync).AnswersWithRedirect(StatusCodes.Status302Found).WithSummary("Signs out.");
        signedIn.MapGet("", ConsoleHome.ShowAsync).WithSummary("Orders waiting for the person's signature or payment.");
        signedIn.MapGet("/deposits/{deposit}", ConsoleDeposit.ShowAsync).WithSummary("One deposit's orders, newest first.");
        signedIn.MapGet("/deposits/{deposit}/statement", ConsoleStatement.ShowAsync).WithSummary("The deposit's statement between two Jalali dates.");
        signedIn.MapGet("/deposits/{deposit}/orders/{order}", ConsoleOrder.ShowAsync).WithSummary("One order with its rows, ceremonies and history.");
        signedIn.MapGet("/deposits/{deposit}/orders/{order}/{action}", ConsoleActions.ConfirmAsync)
            .WithSummary("Asks the person to confirm signing, unsigning or paying the order.");
        signedIn.MapPost("/deposits/{deposit}/orders/{order}/{action}", ConsoleActions.ActAsync).AnswersWithRedirect(StatusCodes.Status303SeeOther)
            .WithSummary("Signs, unsigns or pays the order once confirmed, then shows the order again.");
        return routes;
    }
}
