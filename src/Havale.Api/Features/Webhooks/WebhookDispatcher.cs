using Microsoft.EntityFrameworkCore.Storage;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// Delivers the outbox, on every node: fans each new event out to the endpoints that want it (one delivery row per
/// endpoint, under a unique index, so two nodes fanning out at once make one), then claims due deliveries with a
/// lease (a guarded UPDATE; on PostgreSQL the candidates are also picked FOR UPDATE SKIP LOCKED, so nodes do not
/// queue behind each other) and sends them. A claimed delivery is this node's until its lease ends, so two nodes
/// never send the same attempt at once; a node killed mid-attempt leaves a lease that ends, and another node (or the
/// same one restarted) sends the delivery again: at least once. A delivery waits while an earlier event of the same
/// object is still on its way to the same endpoint, so each object's events arrive in order.
/// </summary>
public sealed class WebhookDispatcher(IDbContextFactory<HavaleDb> dbFactory, WebhookSender sender, WebhookOptions options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One failed pass (the database restarting, say) must not stop delivery for good; the next pass tries again.
                logger.LogError(exception, "A webhook dispatch pass failed");
            }
            if (!worked)
            {
                await Task.Delay(options.PollIntervalMs, stoppingToken);
            }
        }
    }

    /// <summary>One pass: fan out new events, claim due deliveries and send them. True when it found anything to do.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var fannedOut = await FanOutAsync(cancellationToken);
        var claimed = await ClaimAsync(cancellationToken);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.ParallelAttemptsMax, CancellationToken = cancellationToken },
            async (delivery, token) => await sender.AttemptAsync(delivery.Id, delivery.LeaseToken, token));
        return fannedOut > 0 || claimed.Count > 0;
    }

    private async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.WebhookEvents.AsNoTracking().Where(outboxEvent => !outboxEvent.IsFannedOut).OrderBy(outboxEvent => outboxEvent.Id)
            .Take(WebhookLimits.BatchMax).Select(outboxEvent => new { outboxEvent.Id, outboxEvent.ClientId, outboxEvent.Type, outboxEvent.ObjectKey })
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return 0;
        }
        var clients = events.Select(outboxEvent => outboxEvent.ClientId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(endpoint => clients.Contains(endpoint.ClientId) && endpoint.IsEnabled)
            .Select(endpoint => new { endpoint.Id, endpoint.ClientId, endpoint.EventTypes }).ToListAsync(cancellationToken);
        var dialect = SqlDialect.Of(db);
        var nowUtc = options.WallClock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var step = new SqlStep(db.Database.GetDbConnection(), transaction.GetDbTransaction());
        foreach (var outboxEvent in events)
        {
            foreach (var endpoint in endpoints.Where(endpoint => endpoint.ClientId == outboxEvent.ClientId
                         && endpoint.EventTypes.Contains("," + outboxEvent.Type + ",", StringComparison.Ordinal)))
            {
                step.Add("""
                    INSERT INTO webhook_deliveries (event_id, endpoint_id, object_key, status, attempts, next_attempt_utc, give_up_utc, created_utc)
                    VALUES (@p0, @p1, @p2, 'Pending', 0, @p3, @p4, @p3) ON CONFLICT (event_id, endpoint_id) DO NOTHING
                    """, outboxEvent.Id, endpoint.Id, outboxEvent.ObjectKey, dialect.Instant(nowUtc),
                    dialect.Instant(nowUtc.AddSeconds(options.RetryWindowSeconds)));
            }
        }
        step.Add($"UPDATE webhook_events SET is_fanned_out = {(dialect.IsPostgres ? "true" : "1")} WHERE {dialect.InList("id", "p0")}",
            dialect.ListValue(events.Select(outboxEvent => outboxEvent.Id).ToList()));
        await step.RunAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    private sealed record Claimed(long Id, string LeaseToken);

    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dialect = SqlDialect.Of(db);
        var nowUtc = options.WallClock.GetUtcNow();
        var leaseToken = Guid.NewGuid().ToString("N");
        var now = dialect.Instant(nowUtc);
        var claimed = new List<Claimed>();
        // The outer condition repeats the lease test: of two nodes that picked the same row, the second finds it leased.
        var step = new SqlStep(db.Database.GetDbConnection(), null);
        step.Add($"""
            UPDATE webhook_deliveries SET lease_until_utc = @p0, lease_token = @p1
            WHERE id IN (
                SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.status = 'Pending' AND d.next_attempt_utc <= @p2 AND (d.lease_until_utc IS NULL OR d.lease_until_utc <= @p2) AND e.is_enabled
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries b WHERE b.endpoint_id = d.endpoint_id AND b.object_key = d.object_key
                                  AND b.status = 'Pending' AND b.event_id < d.event_id)
                ORDER BY d.id LIMIT @p3{(dialect.IsPostgres ? " FOR UPDATE OF d SKIP LOCKED" : "")})
            AND status = 'Pending' AND (lease_until_utc IS NULL OR lease_until_utc <= @p2)
            RETURNING id
            """, reader => claimed.Add(new Claimed(reader.GetInt64(0), leaseToken)),
            dialect.Instant(nowUtc.AddSeconds(options.LeaseSeconds)), leaseToken, now, WebhookLimits.BatchMax);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await step.RunAsync(cancellationToken);
        return claimed;
    }
}
