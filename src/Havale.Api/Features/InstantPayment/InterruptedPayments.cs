using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Havale.Api.Rails;

namespace Havale.Api.Features.InstantPayment;

/// <summary>
/// A retry of a payment whose call was cut off after its hold committed (the gateway crashed or the database went
/// away before the second commit): it is answered as the finished call would have been, from the ledger.
/// </summary>
public static class InterruptedPayments
{
    /// <summary>How long such a retry waits for the hold's outcome before it is told 408 (outcome not known yet).</summary>
    public const int HoldWaitMillisecondsMax = 3_000;

    /// <summary>
    /// The payment's outcome as a rail result: done, or refused with the reason on its void, or unknown while the bank
    /// has still not answered; null when the call held nothing (its rail admits such a call again instead).
    /// </summary>
    public static async Task<RailResult?> OutcomeAsync(CallRecord call, PaymentRails rails, CancellationToken cancellationToken)
    {
        var standing = await rails.AwaitInterruptedPolHoldAsync(call.ClientId, call.TrackId, TimeSpan.FromMilliseconds(HoldWaitMillisecondsMax),
            cancellationToken);
        return standing switch
        {
            null => null,
            { State: HoldState.Posted } => new RailResult(RailOutcome.Done, standing.Hold.Reference, standing.Hold.Id),
            { State: HoldState.Voided } => new RailResult(RailOutcome.Rejected, standing.Hold.Reference, standing.Hold.Id, standing.VoidNote),
            { State: HoldState.Open } => new RailResult(RailOutcome.Unknown, standing.Hold.Reference, standing.Hold.Id),
        };
    }

    /// <summary>Stores the final answer of an interrupted call; false when another retry stored one first.</summary>
    public static async Task<bool> StoreAsync(IDbContextFactory<HavaleDb> dbFactory, long callId, StoredAnswer answer, DateTimeOffset nowUtc)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.Database.OpenConnectionAsync();
        try
        {
            var stored = false;
            await new SqlStep(db.Database.GetDbConnection(), null)
                .Add(CallLogSql.CompleteInterrupted, _ => stored = true,
                    CallLogSql.CompleteValues(callId, answer.Status, answer.ContentType, answer.Body, nowUtc, SqlDialect.Of(db)))
                .RunAsync(CancellationToken.None);
            return stored;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
