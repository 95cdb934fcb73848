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
        var console = routes.MapGroup(BasePath).ExcludeFromDescription().DisableAntiforgery().AddEndpointFilter<ConsoleSecurityHeaders>();
        console.MapGet("/console.css", () => Results.Text(ConsoleHtml.Stylesheet, "text/css; charset=utf-8"));
        console.MapGet("/login", ConsoleLogin.Show);
        console.MapPost("/login", ConsoleLogin.SignInAsync).RequireRateLimiting(ConsentEndpoints.LoginRateLimitPolicy);

        var signedIn = console.MapGroup("").RequireAuthorization(ConsoleSession.Policy);
        signedIn.MapPost("/logout", ConsoleLogin.SignOutAsync);
        signedIn.MapGet("", ConsoleHome.ShowAsync);
        signedIn.MapGet("/deposits/{deposit}", ConsoleDeposit.ShowAsync);
        signedIn.MapGet("/deposits/{deposit}/statement", ConsoleStatement.ShowAsync);
        signedIn.MapGet("/deposits/{deposit}/orders/{order}", ConsoleOrder.ShowAsync);
        signedIn.MapGet("/deposits/{deposit}/orders/{order}/{action}", ConsoleActions.ConfirmAsync);
        signedIn.MapPost("/deposits/{deposit}/orders/{order}/{action}", ConsoleActions.ActAsync);
        return routes;
    }
}
