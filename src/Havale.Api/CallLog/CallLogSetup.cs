using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.CallLog;

public static class CallLogSetup
{
    /// <summary>
    /// Runs at start, before the first call: a call still marked in progress was cut off by the previous process's
    /// end, and would otherwise keep its trackId "in progress" for ever. It becomes <see cref="CallState.Interrupted"/>.
    /// This assumes one gateway process per database; with several, each would need to mark only its own calls.
    /// </summary>
    public static async Task<int> MarkInterruptedCallsAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync(cancellationToken);
        return await db.CallRecords.Where(call => call.State == CallState.InProgress)
            .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted), cancellationToken);
    }
}
