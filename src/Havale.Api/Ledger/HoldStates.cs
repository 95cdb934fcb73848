using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Ledger;

/// <summary>Where a hold stands. A hold is resolved when a PostPending or VoidPending row names it (pending_id, unique).</summary>
public enum HoldState
{
    Open,
    Posted,
    Voided,
}

/// <summary>
/// The one home of "is this hold resolved, and how", read by recovery, the ledger, transaction inquiry and the Kilid
/// order views, so that the rule is written once.
/// </summary>
public static class HoldStates
{
    /// <summary>A hold's state from the kind of the row that resolves it (none while it is open).</summary>
    public static HoldState Of(TransferKind? resolutionKind) => resolutionKind switch
    {
        null => HoldState.Open,
        TransferKind.PostPending => HoldState.Posted,
        TransferKind.VoidPending => HoldState.Voided,
        _ => throw new InvariantViolationException($"invariant failed: a {resolutionKind} transfer does not resolve a hold"),
    };

    /// <summary>Holds that no row resolves yet.</summary>
    public static IQueryable<LedgerTransfer> OpenHolds(HavaleDb db)
        => db.LedgerTransfers.Where(transfer => transfer.Kind == TransferKind.Pending
            && !db.LedgerTransfers.Any(resolution => resolution.PendingId == transfer.Id));

    public static async Task<HoldState> OfAsync(HavaleDb db, long holdId, CancellationToken cancellationToken)
        => Of(await db.LedgerTransfers.AsNoTracking().Where(transfer => transfer.PendingId == holdId)
            .Select(transfer => (TransferKind?)transfer.Kind).SingleOrDefaultAsync(cancellationToken));
}
