using Havale.Domain;
using Havale.Api.Storage;

namespace Havale.Api.Ledger;

/// <summary>The ledger's rows as the hand-written hot path writes them: the same columns EF Core maps, the same rules.</summary>
public static class LedgerSql
{
    private const string Columns = """
        kind, debit_account_id, credit_account_id, amount_rials, pending_id, rail, client_id, nid, track_id, reference,
        counterparty, note, due_utc, created_utc
        """;

    private const string Values = "@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13";

    public const string InsertTransfer = $"INSERT INTO ledger_transfers ({Columns}) VALUES ({Values}) RETURNING id";

    /// <summary>A hold's one resolution: the unique index on pending_id refuses a second, and the insert then returns nothing.</summary>
    public const string InsertResolution = $"INSERT INTO ledger_transfers ({Columns}) VALUES ({Values}) ON CONFLICT (pending_id) DO NOTHING RETURNING id";

    public static object?[] TransferValues(TransferKind kind, long debitAccountId, long creditAccountId, long amountRials, long? pendingId,
        TransferOrigin origin, string? note, DateTimeOffset? dueUtc, DateTimeOffset createdUtc, SqlDialect dialect)
    {
        Invariant.Holds(amountRials > 0 && debitAccountId != creditAccountId);
        return
        [
            kind.ToString(), debitAccountId, creditAccountId, amountRials, pendingId, origin.Rail.ToString(), origin.ClientId, origin.Nid,
            origin.TrackId, origin.Reference, origin.Counterparty, note, dueUtc is { } due ? dialect.Instant(due) : null,
            dialect.Instant(createdUtc),
        ];
    }

    /// <summary>
    /// Locks and reads the accounts a transaction is about to change (parameter @p0: their ids), in id order: every
    /// writer locks in this one order, so two writers wait for each other instead of deadlocking.
    /// Columns: id, balance_rials, pending_rials, allows_negative.
    /// </summary>
    public static string LockAccounts(SqlDialect dialect)
        => $"SELECT id, balance_rials, pending_rials, allows_negative FROM ledger_accounts WHERE {dialect.InList("id", "p0")} ORDER BY id{dialect.LockRows}";

    /// <summary>One account's summed change (@p0 to the balance, @p1 to what holds reserve, @p2 the id); the CHECKs still decide.</summary>
    public const string ApplyDeltas = "UPDATE ledger_accounts SET balance_rials = balance_rials + @p0, pending_rials = pending_rials + @p1 WHERE id = @p2";
}
