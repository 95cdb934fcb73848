using System.Text;
using Havale.Api.CallLog;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// Exactly once per confirmation: each action is admitted by an INSERT into the call log under its unique
/// (client, trackId) index, as the API's calls are, with <see cref="ConsoleSession.CallerId"/> as the client. A
/// second submit of the same form (a double click, a reload, the back button) cannot be admitted; it waits for the
/// first and is sent where the first was. What is stored as the "response" is that address.
/// </summary>
public static class ConsoleActionLog
{
    public const string Route = ConsoleSetup.BasePath + "/deposits/{deposit}/orders/{order}/{action}";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<bool> TryAdmitAsync(IDbContextFactory<HavaleDb> factory, ActionTicket ticket, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        db.CallRecords.Add(new CallRecord
        {
            ClientId = ConsoleSession.CallerId,
            TrackId = ticket.TrackId,
            Method = HttpMethods.Post,
            Route = Route,
            RequestSha256 = ticket.Sha256(),
            State = CallState.InProgress,
            StartedUtc = nowUtc,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Only the unique (client, trackId) index refuses this insert when the row is there: the form was sent before.
            if (await FindAsync(factory, ticket.TrackId, cancellationToken) is null)
            {
                throw;
            }
            return false;
        }
    }

    /// <summary>Written even if the browser has gone: the action is done and a repeat must find where it went.</summary>
    public static async Task CompleteAsync(IDbContextFactory<HavaleDb> factory, ActionTicket ticket, string location, DateTimeOffset nowUtc)
    {
        var body = Encoding.UTF8.GetBytes(location);
        await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
        await db.CallRecords.Where(call => call.ClientId == ConsoleSession.CallerId && call.TrackId == ticket.TrackId)
            .ExecuteUpdateAsync(update => update
                .SetProperty(call => call.State, CallState.Completed)
                .SetProperty(call => call.ResponseStatus, StatusCodes.Status303SeeOther)
                .SetProperty(call => call.ResponseContentType, "text/uri-list")
                .SetProperty(call => call.ResponseBody, body)
                .SetProperty(call => call.ResponseSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)))
                .SetProperty(call => call.CompletedUtc, nowUtc), CancellationToken.None);
    }

    /// <summary>
    /// Where the first submit of <paramref name="ticket"/> went: its address once it has finished, or the state it is
    /// stuck in (still running after the wait, or interrupted by a restart). Real time, not the sandbox clock: this is
    /// how long a person's browser is kept waiting.
    /// </summary>
    public static async Task<(CallState State, string? Location)> FirstOutcomeAsync(IDbContextFactory<HavaleDb> factory, ActionTicket ticket,
        CancellationToken cancellationToken)
    {
        for (var waitedMilliseconds = 0; ; waitedMilliseconds += (int)PollInterval.TotalMilliseconds)
        {
            var first = await FindAsync(factory, ticket.TrackId, cancellationToken)
                        ?? throw new InvariantViolationException("invariant failed: a refused admission has a first row");
            Invariant.Holds(first.RequestSha256 == ticket.Sha256());
            if (first.State == CallState.Completed)
            {
                return (first.State, Encoding.UTF8.GetString(first.ResponseBody ?? []));
            }
            if (first.State == CallState.Interrupted || waitedMilliseconds >= ConsoleLimits.RepeatWaitMillisecondsMax)
            {
                return (first.State, null);
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static async Task<CallRecord?> FindAsync(IDbContextFactory<HavaleDb> factory, string trackId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.CallRecords.AsNoTracking()
            .SingleOrDefaultAsync(call => call.ClientId == ConsoleSession.CallerId && call.TrackId == trackId, cancellationToken);
    }
}
