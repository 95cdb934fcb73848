namespace Havale.Api.Ledger;

/// <summary>The ledger's rows as the hand-written hot path writes them: the same columns EF Core maps, the same rules.</summary>
public static class LedgerSql
{
    private const string Columns = """
        kind, debit_account_id, credit_account_id, amount_rials, pending_id, rail, client_id, nid, track_id, reference,
        counterparty, note, due_utc, created_utc
        """;

    /// <summary>The columns of <see cref="TransferValues"/>, in its order.</summary>
    public static IReadOnlyList<string> ColumnNames { get; } = Columns.Split(',', StringSplitOptions.TrimEntries);

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

    /// <summary>Many accounts' summed changes in one statement (PostgreSQL): @p0 balance changes, @p1 pending changes, @p2 ids, each id once.</summary>
    private static readonly string ApplyManyDeltas = "UPDATE ledger_accounts AS a SET balance_rials = a.balance_rials + u.b, pending_rials = a.pending_rials + u.p "
        + $"FROM {SqlDialect.Unnest("bigint", "bigint", "bigint")} AS u(b, p, id) WHERE a.id = u.id";

    /// <summary>
    /// Adds every account's summed change to <paramref name="step"/>: one UPDATE over arrays on PostgreSQL, one prepared
    /// UPDATE an account on SQLite. Accounts whose changes sum to nothing are left out; the rows were locked earlier in id order.
    /// </summary>
    public static void AddDeltas(SqlStep step, SqlDialect dialect, IEnumerable<(long AccountId, long BalanceDeltaRials, long PendingDeltaRials)> deltas)
    {
        // An account named twice (a batch's source that is also a destination) gets one UPDATE with the sum.
        var changed = deltas.GroupBy(delta => delta.AccountId)
            .Select(account => (AccountId: account.Key, BalanceDeltaRials: account.Sum(delta => delta.BalanceDeltaRials),
                PendingDeltaRials: account.Sum(delta => delta.PendingDeltaRials)))
            .Where(delta => delta.BalanceDeltaRials != 0 || delta.PendingDeltaRials != 0).OrderBy(delta => delta.AccountId).ToList();
        if (changed.Count == 0)
        {
            return;
        }
        if (!dialect.IsPostgres || changed.Count == 1)
        {
            foreach (var (accountId, balanceDeltaRials, pendingDeltaRials) in changed)
            {
                step.Add(ApplyDeltas, balanceDeltaRials, pendingDeltaRials, accountId);
            }
            return;
        }
        step.Add(ApplyManyDeltas, changed.Select(delta => delta.BalanceDeltaRials).ToArray(), changed.Select(delta => delta.PendingDeltaRials).ToArray(),
            changed.Select(delta => delta.AccountId).ToArray());
    }
}

/// <summary>How rows of ledger_transfers go in: plain, or as hold resolutions, of which a hold takes one (a second is skipped).</summary>
public enum TransferInsert
{
    Plain,
    Resolution,
}

/// <summary>
/// The ledger_transfers rows of one step of a batch: one INSERT … SELECT FROM unnest on PostgreSQL, so a batch costs
/// the database one statement to parse, plan and run rather than one a row; on SQLite one prepared INSERT a row, which
/// in process costs no round trip. The same columns and rules either way; the CHECKs and unique indexes still decide.
/// </summary>
public sealed class TransferRows(SqlDialect dialect)
{
    private const string PostgresColumnTypes = "text,bigint,bigint,bigint,bigint,text,text,text,text,text,text,text,timestamptz,timestamptz";

    private static readonly string InsertMany = $"INSERT INTO ledger_transfers ({ColumnsOf()}) SELECT * FROM {SqlDialect.Unnest(PostgresColumnTypes.Split(','))}";

    private readonly List<object?[]> _rows = [];

    public int Count => _rows.Count;

    /// <summary>Adds a row; its index is what <see cref="AddTo"/> reports the inserted id against.</summary>
    public int Add(TransferKind kind, long debitAccountId, long creditAccountId, long amountRials, long? pendingId, TransferOrigin origin,
        string? note, DateTimeOffset? dueUtc, DateTimeOffset createdUtc)
    {
        Invariant.Holds((kind is TransferKind.PostPending or TransferKind.VoidPending) == pendingId.HasValue);
        _rows.Add(LedgerSql.TransferValues(kind, debitAccountId, creditAccountId, amountRials, pendingId, origin, note, dueUtc, createdUtc, dialect));
        return _rows.Count - 1;
    }

    /// <summary>
    /// Adds the rows' INSERT to <paramref name="step"/>. <paramref name="inserted"/> hears (row index, id) for each row
    /// inserted; a resolution of a hold that already has one is skipped and not reported.
    /// </summary>
    public void AddTo(SqlStep step, TransferInsert mode, Action<int, long>? inserted = null)
    {
        if (_rows.Count == 0)
        {
            return;
        }
        if (!dialect.IsPostgres || _rows.Count == 1)
        {
            for (var i = 0; i < _rows.Count; i++)
            {
                var index = i;
                step.Add(mode == TransferInsert.Plain ? LedgerSql.InsertTransfer : LedgerSql.InsertResolution,
                    reader => inserted?.Invoke(index, reader.GetInt64(0)), _rows[i]);
            }
            return;
        }
        var values = new object[]
        {
            SqlDialect.Column<string>(_rows, 0), SqlDialect.Column<long>(_rows, 1), SqlDialect.Column<long>(_rows, 2), SqlDialect.Column<long>(_rows, 3),
            SqlDialect.Column<long?>(_rows, 4), SqlDialect.Column<string>(_rows, 5), SqlDialect.Column<string?>(_rows, 6),
            SqlDialect.Column<string?>(_rows, 7), SqlDialect.Column<string?>(_rows, 8), SqlDialect.Column<string?>(_rows, 9),
            SqlDialect.Column<string?>(_rows, 10), SqlDialect.Column<string?>(_rows, 11), SqlDialect.Column<DateTimeOffset?>(_rows, 12),
            SqlDialect.Column<DateTimeOffset>(_rows, 13),
        };
        if (mode == TransferInsert.Resolution)
        {
            // A skipped row returns nothing, so rows are matched by the hold they resolve: the first row naming a hold
            // is the one that can have been inserted (a later one in the same statement conflicts with it).
            var rowOfHold = new Dictionary<long, int>();
            for (var i = _rows.Count - 1; i >= 0; i--)
            {
                rowOfHold[(long)_rows[i][4]!] = i;
            }
            step.Add(InsertMany + " ON CONFLICT (pending_id) DO NOTHING RETURNING id, pending_id",
                reader => inserted?.Invoke(rowOfHold[reader.GetInt64(1)], reader.GetInt64(0)), values);
            return;
        }
        if (inserted is null)
        {
            step.Add(InsertMany, values);
            return;
        }
        // RETURNING gives the rows in the order the SELECT fed them; each is checked against its row all the same.
        var next = 0;
        step.Add(InsertMany + " RETURNING id, debit_account_id, amount_rials", reader =>
        {
            var row = _rows[next];
            Invariant.Holds(reader.GetInt64(1) == (long)row[1]! && reader.GetInt64(2) == (long)row[3]!);
            inserted(next++, reader.GetInt64(0));
        }, values);
    }

    private static string ColumnsOf() => string.Join(", ", LedgerSql.ColumnNames);
}
