namespace Havale.Api.Platform.Telemetry;

/// <summary>
/// Reads the open holds for the <c>havale.holds.*</c> gauges every <see cref="TelemetryOptions.HeldMoneyRefreshSeconds"/>,
/// in the background, so that a scrape itself never touches the database. Two cheap reads, neither of the transfers:
/// the number of rows in <c>open_holds</c> (the index of unresolved holds the database keeps itself, see the OpenHolds
/// migration: a row per open hold, so the count costs what is open, not what the ledger holds), and the accounts'
/// own running <c>pending_rials</c>, one row per account with money held. Runs only when metrics are on.
/// </summary>
public sealed class HeldMoneyGauges(IDbContextFactory<HavaleDb> dbFactory, TelemetryOptions options, ILogger<HeldMoneyGauges> logger)
    : BackgroundService
{
    private const string Query = "SELECT (SELECT COUNT(*) FROM open_holds), CAST(COALESCE(SUM(pending_rials), 0) AS BIGINT), COUNT(*) "
        + "FROM ledger_accounts WHERE pending_rials > 0";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.HeldMoneyRefreshSeconds), TimeProvider.System);
        do
        {
            try
            {
                HavaleMetrics.HeldMoneyRead(await ReadAsync(stoppingToken));
            }
            catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception) && !stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last reading; the outage is reported by /health/ready and every call's 503.
                logger.LogDebug("Held money not read: {Reason}", exception.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<HeldMoney> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = Query;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Havale.Domain.Invariant.Holds(await reader.ReadAsync(cancellationToken));
        return new HeldMoney(Number(reader.GetValue(0)), Number(reader.GetValue(1)), Number(reader.GetValue(2)));

        static long Number(object value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
