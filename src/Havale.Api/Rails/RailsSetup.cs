using Havale.Api.Ledger;
using Havale.Api.Sandbox;

namespace Havale.Api.Rails;

public static class RailsSetup
{
    public static IServiceCollection AddHavaleLedgerAndRails(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RailOptions.Section).Get<RailOptions>() ?? new RailOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<LedgerBook>();
        services.AddSingleton<LedgerAccounts>();
        services.AddSingleton<Sandbox.ISeedContributor, LedgerSeedContributor>();
        services.AddSingleton<SimulatedBanks>();
        services.AddSingleton<IInterbankNetwork>(provider => provider.GetRequiredService<SimulatedBanks>());
        services.AddSingleton<InFlightHolds>();
        services.AddSingleton<Pol.PolWriter>();
        services.AddSingleton<PaymentRails>();
        services.AddHostedService<HoldResolverService>();
        return services;
    }

    /// <summary>
    /// Runs before the gateway takes its first call: system accounts exist, and every hold a crash left open is asked
    /// about again, so no money waits in limbo for longer than the banks take to answer.
    /// </summary>
    public static async Task StartLedgerAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using (var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync(cancellationToken))
        {
            await services.GetRequiredService<LedgerAccounts>().EnsureSystemAccountsAsync(db, cancellationToken);
        }
        await services.GetRequiredService<PaymentRails>().ResolveDueAsync(cancellationToken);
    }
}

/// <summary>Asks about open holds and settles due Paya cycles every few real seconds.</summary>
public sealed class HoldResolverService(PaymentRails rails, RailOptions options, ILogger<HoldResolverService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.ResolveIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var resolved = await rails.ResolveDueAsync(stoppingToken);
                if (resolved > 0)
                {
                    logger.LogInformation("Resolved {Count} open holds", resolved);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One bad pass must not stop the resolver for good; the next tick tries again.
                logger.LogError(exception, "Resolving open holds failed");
            }
        }
    }
}
