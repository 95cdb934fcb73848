using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Havale.Api.CallLog;

public static class CallLogSetup
{
    public static IServiceCollection AddHavaleCallLog(this IServiceCollection services, IConfiguration configuration)
    {
        // The caller is found by Auth (TokenCallerClient): no token, no log.
        services.AddSingleton(GatewayNodes.Create(configuration));
        services.AddSingleton<UnansweredCalls>();
        services.TryAddSingleton(CrashDrill.Off);
        services.AddHostedService<UnansweredCallsService>();
        services.AddHostedService<NodeHeartbeatService>();
        return services;
    }

    /// <summary>
    /// Runs at start, before the first call: this node says it is alive, and a call still in progress under its name
    /// (or a gone node's, or from before nodes were named) was cut off by a process's end and would otherwise keep
    /// its trackId "in progress" for ever. It becomes <see cref="CallState.Interrupted"/>, so a retry gets an answer.
    /// Calls of other live nodes are theirs: they are running right now.
    /// </summary>
    public static async Task<int> MarkInterruptedCallsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var nodes = services.GetRequiredService<GatewayNodes>();
        await using var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync(cancellationToken);
        await nodes.BeatAsync(db, isStart: true, cancellationToken);
        var orphaned = await nodes.DeadIdsAsync(db, cancellationToken);
        orphaned.Add(nodes.Id);
        return await db.CallRecords.Where(call => call.State == CallState.InProgress && (call.NodeId == null || orphaned.Contains(call.NodeId)))
            .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted), cancellationToken);
    }

    /// <summary>Calls in progress on nodes that have gone silent: interrupted, so that a retry (on any node) is answered.</summary>
    public static async Task<int> MarkGoneNodesCallsAsync(GatewayNodes nodes, HavaleDb db, CancellationToken cancellationToken)
    {
        var gone = await nodes.DeadIdsAsync(db, cancellationToken);
        if (gone.Count == 0)
        {
            return 0;
        }
        return await db.CallRecords.Where(call => call.State == CallState.InProgress && call.NodeId != null && gone.Contains(call.NodeId))
            .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted), cancellationToken);
    }
}

/// <summary>This node's heartbeat, and the interruption of calls left in progress by nodes that stopped beating.</summary>
public sealed class NodeHeartbeatService(GatewayNodes nodes, IDbContextFactory<HavaleDb> factory, ILogger<NodeHeartbeatService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(nodes.Options.HeartbeatSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(stoppingToken);
                await nodes.BeatAsync(db, isStart: false, stoppingToken);
                var marked = await CallLogSetup.MarkGoneNodesCallsAsync(nodes, db, stoppingToken);
                if (marked > 0)
                {
                    logger.LogWarning("Marked {Count} calls of gone nodes interrupted", marked);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database away for a beat or two is not a reason to stop beating; the next tick tries again.
                logger.LogWarning("Node heartbeat failed: {Error}", exception.GetBaseException().Message);
            }
        }
    }
}
