using Havale.Api.Auth;

namespace Havale.Api.Sandbox;

public static class SandboxSetup
{
    public static IServiceCollection AddHavaleSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        services.AddSingleton(options);
        services.AddSingleton(configuration.GetSection(RegistryOptions.Section).Get<RegistryOptions>() ?? new RegistryOptions());
        services.AddSingleton<SeedLoader>();
        services.AddSingleton<SandboxClockStore>();
        services.AddSandboxExamples();
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
        // POST /sandbox/v1/tokens: a code token without the consent page; OpenIddict authenticates the client itself.
        sandbox.MapSandboxTokenEndpoint();
        SandboxEndpoints.Map(sandbox.MapGroup("").AddEndpointFilter<SandboxClientAuth>());
        return app;
    }

    /// <summary>
    /// Restores the sandbox clock and loads the seed; in production mode, loads the operator's registry file if one is
    /// configured, and nothing else.
    /// </summary>
    public static async Task StartSandboxAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<SandboxOptions>();
        if (!options.Enabled)
        {
            var registry = services.GetRequiredService<RegistryOptions>();
            if (!string.IsNullOrWhiteSpace(registry.File))
            {
                await services.GetRequiredService<SeedLoader>().LoadAsync(SeedLoader.Read(registry.File), cancellationToken);
            }
            return;
        }
        await services.GetRequiredService<SandboxClockStore>().RestoreAsync(cancellationToken);
        var seed = SeedLoader.Read(options.ResolveSeedFile());
        await services.GetRequiredService<SeedLoader>().LoadAsync(seed, cancellationToken);
    }
}
