using System.Collections.Concurrent;

namespace Havale.Api.CallLog;

/// <summary>
/// Calls this node admitted but could not store the answer of, because the database went away: until they are marked
/// <see cref="CallState.Interrupted"/>, a retry would find them in progress and wait for an answer that never comes.
/// Marked as soon as the database answers again, so that a retry gets the payment's answer (or runs a read afresh).
/// </summary>
public sealed class UnansweredCalls
{
    /// <summary>The most kept at once; past it the oldest stay in progress until this node's next start marks them.</summary>
    public const int CallsMax = 100_000;

    private readonly ConcurrentQueue<long> _callIds = new();

    public void Add(long callId)
    {
        if (_callIds.Count < CallsMax)
        {
            _callIds.Enqueue(callId);
        }
    }

    public bool IsEmpty => _callIds.IsEmpty;

    /// <summary>Marks every call waiting here; a call whose mark fails with the database stays for the next pass.</summary>
    public async Task<int> MarkInterruptedAsync(IDbContextFactory<HavaleDb> factory, CancellationToken cancellationToken)
    {
        var marked = 0;
        for (var pass = 0; pass < CallsMax && _callIds.TryPeek(out var callId); pass++)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                marked += await db.CallRecords.Where(call => call.Id == callId && call.State == CallState.InProgress)
                    .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted), cancellationToken);
            }
            catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception))
            {
                // Still away: keep it, and try again on the next pass.
                return marked;
            }
            _callIds.TryDequeue(out _);
        }
        return marked;
    }
}

/// <summary>Marks <see cref="UnansweredCalls"/> every half second while there are any.</summary>
public sealed class UnansweredCallsService(UnansweredCalls calls, IDbContextFactory<HavaleDb> factory, ILogger<UnansweredCallsService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (calls.IsEmpty)
            {
                continue;
            }
            try
            {
                var marked = await calls.MarkInterruptedAsync(factory, stoppingToken);
                if (marked > 0)
                {
                    logger.LogInformation("Marked {Count} calls interrupted whose answers the database did not take", marked);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One bad pass must not stop the marking for good; the next tick tries again.
                logger.LogError(exception, "Marking unanswered calls failed");
            }
        }
    }
}
