namespace Havale.Api.CallLog;

/// <summary>Reading the first call of a trackId seen again, for the log and for handlers that admit their own calls.</summary>
public static class CallLogReads
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The first call with the attempt's client and trackId, once it is no longer in progress, or as it stands after
    /// <see cref="Limits.CallInProgressWaitMillisecondsMax"/>: a retry that arrives while the first call runs waits for it.
    /// </summary>
    public static async Task<CallRecord> FirstAnsweredAsync(IDbContextFactory<HavaleDb> factory, CallRecord attempt, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            CallRecord first;
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                first = await db.CallRecords.AsNoTracking()
                    .SingleAsync(call => call.ClientId == attempt.ClientId && call.TrackId == attempt.TrackId, cancellationToken);
            }
            if (first.State != CallState.InProgress || !first.IsSameRequestAs(attempt)
                || waited >= TimeSpan.FromMilliseconds(Limits.CallInProgressWaitMillisecondsMax))
            {
                return first;
            }
            // Real time, not the sandbox clock: this is how long a caller is kept waiting on the wire.
            await Task.Delay(PollInterval, cancellationToken);
            waited += PollInterval;
        }
    }
}
