using Havale.Api.CallLog;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Reliability;

/// <summary>What a gateway's end leaves in the call log of a call it was running, made without killing a process.</summary>
public static class CrashLeftovers
{
    /// <summary>
    /// As the next start leaves a call that a SIGKILL cut off: Interrupted, no answer. Everything the call's own
    /// transactions wrote (the ledger, the order, the call's work flag) stays as they left it.
    /// </summary>
    public static async Task LeaveCallInterruptedAsync(IServiceProvider services, string trackId)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        var changed = await db.CallRecords.Where(call => call.TrackId == trackId)
            .ExecuteUpdateAsync(update => update.SetProperty(call => call.State, CallState.Interrupted)
                .SetProperty(call => call.ResponseStatus, (int?)null)
                .SetProperty(call => call.ResponseBody, (byte[]?)null)
                .SetProperty(call => call.ResponseContentType, (string?)null)
                .SetProperty(call => call.ResponseSha256, (string?)null)
                .SetProperty(call => call.CompletedUtc, (DateTimeOffset?)null));
        Assert.Equal(1, changed);
    }
}
