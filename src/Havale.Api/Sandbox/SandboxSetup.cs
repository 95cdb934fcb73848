using Havale.Api.Auth;

namespace Havale.Api.Sandbox;

public static class SandboxSetup
{
    public static IServiceCollection AddHavaleSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        services.AddSingleton(options);
        services.AddSingleton<SeedLoader>();
        return services;
    }

    /// <summary>Sandbox-only routes; in production mode none of them is mapped, so they answer 404 like any unknown path.</summary>
    public static WebApplication MapHavaleSandbox(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<SandboxOptions>();
        if (!options.Enabled)
        {
            return app;
        }
        var sandbox = app.MapGroup("/sandbox/v1").WithTags("Sandbox");
        // POST /sandbox/v1/tokens: a code token without the consent page (OpenIddict reads and answers it, see Auth).
        sandbox.MapSandboxTokenEndpoint();
        return app;
    }

    public static async Task LoadSandboxSeedAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<SandboxOptions>();
        if (!options.Enabled)
        {
            return;
        }
        var seed = SeedLoader.Read(options.ResolveSeedFile());
        await services.GetRequiredService<SeedLoader>().LoadAsync(seed, cancellationToken);
    }
}
