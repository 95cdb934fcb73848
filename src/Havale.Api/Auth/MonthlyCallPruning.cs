namespace Havale.Api.Auth;

/// <summary>
/// Deletes the monthly call counts (<see cref="TokenCallMonth"/>) of months that can no longer limit a call: every month
/// before the previous Jalali month. Only the current month's row is read by <see cref="MonthlyCallLimitMiddleware"/>;
/// the previous month's is kept so that an operator asking "how many calls did this consent make last month" early in
/// a month still finds it. Without this the table grows by a row per consent per month for ever.
/// <para>
/// Each node prunes (the deletes are the same on every node, and a row two nodes both delete is deleted once), in
/// batches of <see cref="RowsPerBatchMax"/> so that no statement holds many locks, at most
/// <see cref="BatchesPerPassMax"/> batches a pass so that a large backlog is worked off over several passes.
/// </para>
/// </summary>
public sealed class MonthlyCallPruning(IDbContextFactory<HavaleDb> dbFactory, TimeProvider clock, ILogger<MonthlyCallPruning> logger)
    : BackgroundService
{
    public const int RowsPerBatchMax = 1_000;
    public const int BatchesPerPassMax = 100;
    private static readonly TimeSpan PassInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PassInterval);
        do
        {
            try
            {
                var pruned = await PrunePassAsync(dbFactory, clock.GetUtcNow(), stoppingToken);
                if (pruned > 0)
                {
                    logger.LogInformation("Pruned {Rows} monthly call counts of months before the previous one", pruned);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database away for a moment: nothing depends on the old rows going now; the next pass tries again.
                logger.LogWarning("Pruning monthly call counts failed: {Error}", exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: the rows deleted, at most <see cref="RowsPerBatchMax"/> × <see cref="BatchesPerPassMax"/>.</summary>
    public static async Task<int> PrunePassAsync(IDbContextFactory<HavaleDb> dbFactory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var previous = JalaliMonth.Of(now).Previous;
        var pruned = 0;
        for (var batch = 0; batch < BatchesPerPassMax; batch++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var deleted = await db.Set<TokenCallMonth>()
                .Where(row => row.JalaliMonth < previous.Key)
                .OrderBy(row => row.JalaliMonth)
                .Take(RowsPerBatchMax)
                .ExecuteDeleteAsync(cancellationToken);
            Invariant.Holds(deleted is >= 0 and <= RowsPerBatchMax);
            pruned += deleted;
            if (deleted < RowsPerBatchMax)
            {
                break;
            }
        }
        return pruned;
    }
}
