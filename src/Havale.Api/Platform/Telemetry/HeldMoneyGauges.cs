using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Platform.Telemetry;

/// <summary>
/// Reads the held money for the <c>havale.holds.*</c> gauges every <see cref="TelemetryOptions.HeldMoneyRefreshSeconds"/>,
/// in the background, so that a scrape itself never touches the database. The reading is the accounts' own running
/// <c>pending_rials</c> (kept by every hold and resolution in the ledger's guarded UPDATEs), one row per account with
/// money held: it never reads the transfers. Counting open holds one by one would have to scan the transfers (no index
/// names the open ones), so the gauges say how much is held and on how many accounts, not how many holds.
/// Runs only when metrics are on.
/// </summary>
public sealed class HeldMoneyGauges(IDbContextFactory<HavaleDb> dbFactory, TelemetryOptions options, ILogger<HeldMoneyGauges> logger)
    : BackgroundService
{
    private const string Query = "SELECT CAST(COALESCE(SUM(pending_rials), 0) AS BIGINT), COUNT(*) FROM ledger_accounts WHERE pending_rials > 0";

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
        return new HeldMoney(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}
