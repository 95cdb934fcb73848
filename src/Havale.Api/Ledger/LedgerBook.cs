namespace Havale.Api.Ledger;

/// <summary>Every way a ledger operation can end, in the order they are checked.</summary>
public enum LedgerOutcome
{
    Done,
    InsufficientFunds,
    HoldNotFound,
    HoldAlreadyResolved,
}

/// <summary>Who asked for a movement of money, and on which rail; carried on every transfer.</summary>
public sealed record TransferOrigin(RailKind Rail, string? ClientId = null, string? Nid = null, string? TrackId = null,
    string? Reference = null, string? Note = null, string? Counterparty = null);

public sealed record LedgerResult(LedgerOutcome Outcome, LedgerTransfer? Transfer = null)
{
    public bool IsDone => Outcome == LedgerOutcome.Done;
}

/// <summary>
/// The double-entry ledger. Each operation runs inside the caller's database transaction, so a feature can make
/// several movements all-or-nothing (a Kilid order holds all its rows in one step). Balances change only through
/// single guarded UPDATE statements — the database decides "is there enough", never C# reading then writing —
/// and CHECK constraints refuse an overdraft even if this code were wrong.
/// </summary>
public sealed class LedgerBook(TimeProvider clock)
{
    /// <summary>Moves money at once from one account to another.</summary>
    public async Task<LedgerResult> TransferAsync(HavaleDb db, long debitAccountId, long creditAccountId, Rials amount,
        TransferOrigin origin, CancellationToken cancellationToken)
    {
        RequireTransaction(db);
        Invariant.Holds(debitAccountId != creditAccountId);
        var amountRials = amount.AmountRials;
        // Both rows are touched in ascending id order, so two opposite transfers cannot deadlock on PostgreSQL.
        if (debitAccountId < creditAccountId)
        {
            if (!await TryDebitAsync(db, debitAccountId, amountRials, cancellationToken))
            {
                return new LedgerResult(LedgerOutcome.InsufficientFunds);
            }
            await CreditAsync(db, creditAccountId, amountRials, cancellationToken);
        }
        else
        {
            await CreditAsync(db, creditAccountId, amountRials, cancellationToken);
            if (!await TryDebitAsync(db, debitAccountId, amountRials, cancellationToken))
            {
                // Undo the credit here rather than trust the caller to roll back: a caller may well commit after a
                // refusal (to record it), and must not commit money that came from nowhere. This transaction holds
                // the credited row since the credit above, so subtracting restores exactly the earlier balance.
                await ExecuteOneAsync(db, $"UPDATE ledger_accounts SET balance_rials = balance_rials - {amountRials} WHERE id = {creditAccountId}",
                    cancellationToken);
                return new LedgerResult(LedgerOutcome.InsufficientFunds);
            }
        }
        var transfer = await AppendAsync(db, TransferKind.Posted, debitAccountId, creditAccountId, amountRials, null, origin, null, cancellationToken);
        return new LedgerResult(LedgerOutcome.Done, transfer);
    }

    /// <summary>Reserves money on the debit account; available balance drops now, the posted balance when it is posted.</summary>
    public async Task<LedgerResult> HoldAsync(HavaleDb db, long debitAccountId, long creditAccountId, Rials amount,
        TransferOrigin origin, DateTimeOffset? dueUtc, CancellationToken cancellationToken)
    {
        RequireTransaction(db);
        Invariant.Holds(debitAccountId != creditAccountId);
        var amountRials = amount.AmountRials;
        var reserved = await db.Database.ExecuteSqlAsync($"""
            UPDATE ledger_accounts SET pending_rials = pending_rials + {amountRials}
            WHERE id = {debitAccountId} AND (allows_negative OR balance_rials - pending_rials >= {amountRials})
            """, cancellationToken);
        if (reserved == 0)
        {
            return new LedgerResult(LedgerOutcome.InsufficientFunds);
        }
        Invariant.Holds(reserved == 1);
        var transfer = await AppendAsync(db, TransferKind.Pending, debitAccountId, creditAccountId, amountRials, null, origin, dueUtc, cancellationToken);
        return new LedgerResult(LedgerOutcome.Done, transfer);
    }

    /// <summary>Completes a hold: the reserved money moves to the credit account.</summary>
    public Task<LedgerResult> PostPendingAsync(HavaleDb db, long pendingId, string? note, CancellationToken cancellationToken)
        => ResolveAsync(db, pendingId, TransferKind.PostPending, note, cancellationToken);

    /// <summary>Cancels a hold: the reserved money is available to the debit account again.</summary>
    public Task<LedgerResult> VoidPendingAsync(HavaleDb db, long pendingId, string? note, CancellationToken cancellationToken)
        => ResolveAsync(db, pendingId, TransferKind.VoidPending, note, cancellationToken);

    private async Task<LedgerResult> ResolveAsync(HavaleDb db, long pendingId, TransferKind resolution, string? note,
        CancellationToken cancellationToken)
    {
        RequireTransaction(db);
        var hold = await db.LedgerTransfers.AsNoTracking()
            .SingleOrDefaultAsync(transfer => transfer.Id == pendingId && transfer.Kind == TransferKind.Pending, cancellationToken);
        if (hold is null)
        {
            return new LedgerResult(LedgerOutcome.HoldNotFound);
        }
        // The unique index on pending_id admits one resolution per hold. The claim is written first; a concurrent
        // second resolution fails on the index, EF Core rolls back to the savepoint it took before saving (so the
        // caller's transaction lives on), and the caller is told the hold was already resolved.
        // The resolution carries the hold's origin (who, which call, which counterparty) and its own note.
        var holdOrigin = new TransferOrigin(hold.Rail, hold.ClientId, hold.Nid, hold.TrackId, hold.Reference, note, hold.Counterparty);
        var resolutionRow = NewTransfer(resolution, hold.DebitAccountId, hold.CreditAccountId, hold.AmountRials, hold.Id, holdOrigin, dueUtc: null);
        db.LedgerTransfers.Add(resolutionRow);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.Entry(resolutionRow).State = EntityState.Detached;
            if (await IsResolvedAsync(db, hold.Id, cancellationToken))
            {
                return new LedgerResult(LedgerOutcome.HoldAlreadyResolved);
            }
            throw;
        }
        db.Entry(resolutionRow).State = EntityState.Detached;
        var amountRials = hold.AmountRials;
        if (resolution == TransferKind.PostPending)
        {
            await ExecuteOneAsync(db, $"""
                UPDATE ledger_accounts SET pending_rials = pending_rials - {amountRials}, balance_rials = balance_rials - {amountRials}
                WHERE id = {hold.DebitAccountId}
                """, cancellationToken);
            await CreditAsync(db, hold.CreditAccountId, amountRials, cancellationToken);
        }
        else
        {
            await ExecuteOneAsync(db, $"""
                UPDATE ledger_accounts SET pending_rials = pending_rials - {amountRials} WHERE id = {hold.DebitAccountId}
                """, cancellationToken);
        }
        return new LedgerResult(LedgerOutcome.Done, resolutionRow);
    }

    private static async Task<bool> TryDebitAsync(HavaleDb db, long accountId, long amountRials, CancellationToken cancellationToken)
    {
        var debited = await db.Database.ExecuteSqlAsync($"""
            UPDATE ledger_accounts SET balance_rials = balance_rials - {amountRials}
            WHERE id = {accountId} AND (allows_negative OR balance_rials - pending_rials >= {amountRials})
            """, cancellationToken);
        Invariant.Holds(debited <= 1);
        return debited == 1;
    }

    private static Task CreditAsync(HavaleDb db, long accountId, long amountRials, CancellationToken cancellationToken)
        => ExecuteOneAsync(db, $"UPDATE ledger_accounts SET balance_rials = balance_rials + {amountRials} WHERE id = {accountId}",
            cancellationToken);

    private static async Task ExecuteOneAsync(HavaleDb db, FormattableString sql, CancellationToken cancellationToken)
    {
        var rows = await db.Database.ExecuteSqlAsync(sql, cancellationToken);
        Invariant.Holds(rows == 1);
    }

    private async Task<LedgerTransfer> AppendAsync(HavaleDb db, TransferKind kind, long debitAccountId, long creditAccountId,
        long amountRials, long? pendingId, TransferOrigin origin, DateTimeOffset? dueUtc, CancellationToken cancellationToken)
    {
        var transfer = NewTransfer(kind, debitAccountId, creditAccountId, amountRials, pendingId, origin, dueUtc);
        db.LedgerTransfers.Add(transfer);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(transfer).State = EntityState.Detached;
        return transfer;
    }

    private LedgerTransfer NewTransfer(TransferKind kind, long debitAccountId, long creditAccountId, long amountRials, long? pendingId,
        TransferOrigin origin, DateTimeOffset? dueUtc)
        => new()
        {
            Kind = kind,
            DebitAccountId = debitAccountId,
            CreditAccountId = creditAccountId,
            AmountRials = amountRials,
            PendingId = pendingId,
            Rail = origin.Rail,
            ClientId = origin.ClientId,
            Nid = origin.Nid,
            TrackId = origin.TrackId,
            Reference = origin.Reference,
            Counterparty = origin.Counterparty,
            Note = origin.Note,
            // UTC whatever the caller passed: only UTC instants compare correctly in SQL on both stores.
            DueUtc = dueUtc?.ToUniversalTime(),
            CreatedUtc = clock.GetUtcNow(),
        };

    private static async Task<bool> IsResolvedAsync(HavaleDb db, long pendingId, CancellationToken cancellationToken)
        => await HoldStates.OfAsync(db, pendingId, cancellationToken) != HoldState.Open;

    private static void RequireTransaction(HavaleDb db)
        => Invariant.Holds(db.Database.CurrentTransaction is not null);
}
