using Havale.Api.Auth;
using Havale.Api.CallLog;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;

namespace Havale.Api.Platform;

public static class PlatformSetup
{
    public static IServiceCollection AddHavalePlatform(this IServiceCollection services)
    {
        services.AddSingleton<HavaleClock>();
        services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<HavaleClock>());
        services.Configure<JsonOptions>(options => HavaleJson.Configure(options.SerializerOptions));
        // Binding failures throw, so the envelope handler can answer them with the field named instead of a bare 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Authorization is registered by its one user, the signatory console (its policy, ConsoleSetup); the API's routes
        // are guarded by Finnotech access, so the platform adds only the middleware, in its place in the order below.
        services.AddAuthentication();
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer<EnvelopeDocs>();
            options.AddSchemaTransformer<WireSchemas>();
        });
        return services;
    }

    /// <summary>
    /// The order matters: the envelope wraps everything; limits come before anything reads the body; routing
    /// decides whether trackId is required; the rate limiter runs before authentication, where OpenIddict checks client
    /// secrets, so guessing them is throttled; Finnotech access (token, scope, path binding) is decided right after
    /// authentication, and the per-client and per-token flood limits right after it (<see cref="FloodLimits"/>), then a
    /// token's monthly call count (<see cref="MonthlyCallLimitMiddleware"/>, so a call a flood limit refused is not
    /// counted); the call log runs after them (so a caller without a valid token can never take another's
    /// trackId) and outside a second envelope handler, so it records failures exactly as sent.
    /// </summary>
    public static WebApplication UseHavalePlatform(this WebApplication app)
    {
        app.UseMiddleware<EnvelopeExceptionHandler>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseRouting();
        app.UseMiddleware<TrackIdMiddleware>();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<FinnotechAccessMiddleware>();
        app.UseHavaleFloodLimits();
        app.UseMiddleware<MonthlyCallLimitMiddleware>();
        app.UseMiddleware<CallLogMiddleware>();
        app.UseMiddleware<EnvelopeExceptionHandler>();
        return app;
    }

    public static WebApplication MapHavaleDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Havale API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }

    public static WebApplication MapEndpointModules(this WebApplication app)
    {
        foreach (var module in app.Services.GetServices<IEndpointModule>())
        {
            module.Map(app);
        }
        return app;
    }
}
