using System.Text;
using Havale.Api.CallLog;

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

    /// <summary>The call log's own admission statement (<see cref="CallLogSql.Admit"/>): the row's id, or null for a form sent before.</summary>
    public static async Task<long?> TryAdmitAsync(IDbContextFactory<HavaleDb> factory, ActionTicket ticket, DateTimeOffset nowUtc,
        string nodeId, CancellationToken cancellationToken)
    {
        var call = new CallRecord
        {
            ClientId = ConsoleSession.CallerId,
            TrackId = ticket.TrackId,
            Method = HttpMethods.Post,
            Route = Route,
            RequestSha256 = ticket.Sha256(),
            State = CallState.InProgress,
            StartedUtc = nowUtc,
            // Whose action it is: another node's start leaves it running (CallLogSetup.MarkInterruptedCallsAsync).
            NodeId = nodeId,
        };
        long? id = null;
        await RunAsync(factory, (step, dialect) => step.Add(CallLogSql.Admit, reader => id = reader.GetInt64(0), CallLogSql.AdmitValues(call, dialect)),
            cancellationToken);
        return id;
    }

    /// <summary>Written even if the browser has gone: the action is done and a repeat must find where it went.</summary>
    public static Task CompleteAsync(IDbContextFactory<HavaleDb> factory, long callId, string location, DateTimeOffset nowUtc)
        => RunAsync(factory, (step, dialect) => step.Add(CallLogSql.Complete,
            CallLogSql.CompleteValues(callId, StatusCodes.Status303SeeOther, "text/uri-list", Encoding.UTF8.GetBytes(location), nowUtc, dialect)),
            CancellationToken.None);

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

    /// <summary>One statement on its own connection; being one statement, it needs no transaction.</summary>
    private static async Task RunAsync(IDbContextFactory<HavaleDb> factory, Action<SqlStep, SqlDialect> build, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var step = new SqlStep(db.Database.GetDbConnection(), null);
        build(step, SqlDialect.Of(db));
        await step.RunAsync(cancellationToken);
    }

    private static async Task<CallRecord?> FindAsync(IDbContextFactory<HavaleDb> factory, string trackId, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.CallRecords.AsNoTracking()
            .SingleOrDefaultAsync(call => call.ClientId == ConsoleSession.CallerId && call.TrackId == trackId, cancellationToken);
    }
}
