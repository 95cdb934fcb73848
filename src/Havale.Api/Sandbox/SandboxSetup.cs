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
        if (options.Enabled)
        {
            services.AddHostedService<SandboxClockFollower>();
            if (!string.IsNullOrEmpty(options.KillAfterCommitOfTrackId))
            {
                services.AddSingleton(new CallLog.CrashDrill(options.KillAfterCommitOfTrackId));
            }
        }
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

/// <summary>
/// The sandbox clock is shared state: a node that moves it saves it in the database, and every other node takes it
/// up within <see cref="FollowMs"/> (forward only, like the clock itself), so that Pol hours, Paya cycles and token
/// lifetimes read the same time on every node behind a load balancer.
/// </summary>
public sealed class SandboxClockFollower(SandboxClockStore store, ILogger<SandboxClockFollower> logger) : BackgroundService
{
    public const int FollowMs = 1_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(FollowMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.FollowAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database away for a moment: the clock stays where it is until the next tick reads it.
                logger.LogDebug("Reading the shared sandbox clock failed: {Error}", exception.GetBaseException().Message);
            }
        }
    }
}
