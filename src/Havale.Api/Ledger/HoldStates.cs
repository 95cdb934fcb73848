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

    /// <summary>
    /// Holds that no row resolves yet, read through <c>open_holds</c>: the database keeps that index itself (a trigger
    /// on every INSERT into ledger_transfers, migration OpenHolds), so finding them costs what is open, not what the
    /// ledger has ever held. The rule is the same: open while no PostPending or VoidPending row names the hold.
    /// </summary>
    public static IQueryable<LedgerTransfer> OpenHolds(HavaleDb db)
        => db.LedgerTransfers.FromSqlRaw("SELECT transfer.* FROM open_holds AS o JOIN ledger_transfers AS transfer ON transfer.id = o.hold_id");

    /// <summary>The table the trigger keeps, for the ledger's audit (tests) to compare with the ledger itself.</summary>
    public const string OpenHoldIdsSql = "SELECT hold_id AS \"Value\" FROM open_holds ORDER BY hold_id";

    public static async Task<HoldState> OfAsync(HavaleDb db, long holdId, CancellationToken cancellationToken)
        => Of(await db.LedgerTransfers.AsNoTracking().Where(transfer => transfer.PendingId == holdId)
            .Select(transfer => (TransferKind?)transfer.Kind).SingleOrDefaultAsync(cancellationToken));
}
