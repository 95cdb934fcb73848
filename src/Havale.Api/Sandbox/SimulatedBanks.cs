using Havale.Api.Accounts;
using Havale.Api.Rails;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Sandbox;

public enum BankMode
{
    Normal,
    Reject,
    Timeout,
    Down,
}

/// <summary>How a simulated bank behaves; a bank with no row behaves normally with no latency.</summary>
public sealed class SimulatedBankBehaviour
{
    public required string BankCode { get; init; }
    public required BankMode Mode { get; set; }
    public required int LatencyMs { get; set; }
}

/// <summary>
/// What a simulated bank received. Kept in the database, like a real bank's own books, so that a crash of the gateway
/// cannot make the bank forget a payment: after a restart the gateway asks, and the bank answers from here.
/// </summary>
public sealed class SimulatedBankPayment
{
    public required string Reference { get; init; }
    public required string BankCode { get; init; }
    public required string Iban { get; init; }
    public required long AmountRials { get; init; }
    public required bool IsAccepted { get; init; }
    public string? Reason { get; init; }
    /// <summary>False while the bank (in timeout mode) has decided but not yet told the gateway.</summary>
    public required bool IsAnswered { get; set; }
    public required DateTimeOffset ReceivedUtc { get; init; }
}

internal sealed class SimulatedBankConfiguration : IEntityTypeConfiguration<SimulatedBankBehaviour>, IEntityTypeConfiguration<SimulatedBankPayment>
{
    public void Configure(EntityTypeBuilder<SimulatedBankBehaviour> builder)
    {
        builder.ToTable("sim_bank_behaviours");
        builder.HasKey(bank => bank.BankCode);
        builder.Property(bank => bank.BankCode).StoredAsBankCode();
        builder.Property(bank => bank.Mode).StoredByName();
    }

    public void Configure(EntityTypeBuilder<SimulatedBankPayment> builder)
    {
        builder.ToTable("sim_bank_payments");
        builder.HasKey(payment => payment.Reference);
        builder.Property(payment => payment.Reference).HasMaxLength(Ledger.LedgerColumns.ReferenceCharsMax);
        builder.Property(payment => payment.BankCode).StoredAsBankCode();
        builder.Property(payment => payment.Iban).HasMaxLength(Domain.Iban.Length).IsFixedLength();
        // The bank's reason becomes the void's note.
        builder.Property(payment => payment.Reason).HasMaxLength(Ledger.LedgerColumns.NoteCharsMax);
    }
}

/// <summary>
/// The other banks, simulated from the seed's external accounts. Each bank has a mode (normal, reject, timeout, down)
/// and a latency that the sandbox can change; an account that is missing, blocked or dormant refuses credits.
/// Payments sent at the same moment are recorded together, one read and one write per batch, as a real bank's
/// switch takes many messages per commit.
/// </summary>
public sealed class SimulatedBanks : IInterbankNetwork, IAsyncDisposable
{
    public const int LatencyMsMax = 60_000;

    /// <summary>How stale a node's copy of the banks' behaviour may be when another node changed it.</summary>
    public const int BehaviourRefreshMs = 1_000;

    private readonly IDbContextFactory<HavaleDb> _dbFactory;
    private readonly SqlSessions _sessions;
    private readonly TimeProvider _clock;
    private readonly GroupCommitter<Sent, BankAnswer> _received;
    private readonly Lock _behavioursGate = new();
    private Dictionary<string, SimulatedBankBehaviour>? _behaviours;
    private long _behavioursReadAtMs;

    public SimulatedBanks(IDbContextFactory<HavaleDb> dbFactory, SqlSessions sessions, TimeProvider clock, StorageInfo storage)
    {
        _dbFactory = dbFactory;
        _sessions = sessions;
        _clock = clock;
        _received = new GroupCommitter<Sent, BankAnswer>(ReceiveAsync, batchItemsMax: 256,
            batchesInFlightMax: storage.Provider == DatabaseProvider.Postgres ? 2 : 1);
    }

    public async Task<BankAnswer> SendAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(payment.Destination.BankCode, cancellationToken);
        if (behaviour.LatencyMs > 0)
        {
            // Real time on purpose: latency is what a caller waits on the wire, and the sandbox clock may stand still.
            await Task.Delay(behaviour.LatencyMs, cancellationToken);
        }
        if (behaviour.Mode == BankMode.Down)
        {
            return new BankAnswer(BankAnswerKind.Unavailable, "destination bank is not available");
        }
        return await _received.SubmitAsync(new Sent(payment, behaviour.Mode), cancellationToken);
    }

    public async Task<IReadOnlyList<BankAnswer>> SendManyAsync(string bankCode, IReadOnlyList<InterbankPayment> payments,
        CancellationToken cancellationToken)
    {
        Invariant.Holds(payments.All(payment => payment.Destination.BankCode == bankCode));
        var behaviour = await BehaviourAsync(bankCode, cancellationToken);
        if (behaviour.LatencyMs > 0)
        {
            await Task.Delay(behaviour.LatencyMs, cancellationToken);
        }
        if (behaviour.Mode == BankMode.Down)
        {
            return payments.Select(_ => new BankAnswer(BankAnswerKind.Unavailable, "destination bank is not available")).ToList();
        }
        var answers = new List<BankAnswer>(payments.Count);
        foreach (var chunk in payments.Chunk(ReceivedPerCommitMax))
        {
            answers.AddRange(await ReceiveAsync(chunk.Select(payment => new Sent(payment, behaviour.Mode)).ToList(), cancellationToken));
        }
        return answers;
    }

    /// <summary>The bank's record of a payment; its reference is the payment's identity, so a second record is refused quietly.</summary>
    private const string InsertPayment = """
        INSERT INTO sim_bank_payments (reference, bank_code, iban, amount_rials, is_accepted, reason, is_answered, received_utc)
        VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) ON CONFLICT (reference) DO NOTHING RETURNING reference
        """;

    private static readonly string InsertPayments = """
        INSERT INTO sim_bank_payments (reference, bank_code, iban, amount_rials, is_accepted, reason, is_answered, received_utc)
        SELECT r, c, i, a, ok, why, told, CAST(@p7 AS timestamptz) FROM
        """ + " " + SqlDialect.Unnest("text", "text", "text", "bigint", "boolean", "text", "boolean") + " AS p(r, c, i, a, ok, why, told) "
        + "ON CONFLICT (reference) DO NOTHING RETURNING reference";

    /// <summary>
    /// The bank's records of new payments (distinct references), one INSERT over arrays on PostgreSQL: the reference is
    /// the payment's identity on both sides, so a record someone else wrote first is kept, and <paramref name="recorded"/>
    /// hears only of those written here.
    /// </summary>
    private static void AddRecords(SqlStep step, SqlDialect dialect, IReadOnlyList<(int Index, InterbankPayment Payment, Decision Decision)> rows,
        object now, Action<int> recorded)
    {
        if (!dialect.IsPostgres || rows.Count == 1)
        {
            foreach (var (index, payment, decision) in rows)
            {
                step.Add(InsertPayment, _ => recorded(index), payment.Reference, payment.Destination.BankCode, payment.Destination.Value,
                    payment.Amount.AmountRials, dialect.Bool(decision.IsAccepted), decision.Reason, dialect.Bool(decision.IsAnswered), now);
            }
            return;
        }
        if (rows.Count == 0)
        {
            return;
        }
        var indexOf = rows.ToDictionary(row => row.Payment.Reference, row => row.Index, StringComparer.Ordinal);
        step.Add(InsertPayments, reader => recorded(indexOf[reader.GetString(0)]),
            rows.Select(row => row.Payment.Reference).ToArray(), rows.Select(row => row.Payment.Destination.BankCode).ToArray(),
            rows.Select(row => row.Payment.Destination.Value).ToArray(), rows.Select(row => row.Payment.Amount.AmountRials).ToArray(),
            rows.Select(row => row.Decision.IsAccepted).ToArray(), rows.Select(row => row.Decision.Reason).ToArray(),
            rows.Select(row => row.Decision.IsAnswered).ToArray(), now);
    }

    /// <summary>The most payments the bank records in one commit.</summary>
    private const int ReceivedPerCommitMax = 2_000;

    public ValueTask DisposeAsync() => _received.DisposeAsync();

    /// <summary>One batch of arriving payments: what the bank already knows of them and of their accounts, then its records.</summary>
    private Task<BankAnswer[]> ReceiveAsync(IReadOnlyList<Sent> batch, CancellationToken cancellationToken)
        => _sessions.InTransactionAsync(CommitDurability.Deferred, session => ReceiveAsync(session, batch, cancellationToken), cancellationToken);

    private async Task<BankAnswer[]> ReceiveAsync(SqlSession session, IReadOnlyList<Sent> batch, CancellationToken cancellationToken)
    {
        var dialect = session.Dialect;
        var step = new SqlStep(session);
        var known = new Dictionary<string, Decision>(StringComparer.Ordinal);
        var statuses = new Dictionary<string, AccountStatus>(StringComparer.Ordinal);
        step.Add($"SELECT reference, is_accepted, reason, is_answered FROM sim_bank_payments WHERE {dialect.InList("reference", "p0", "text[]")}",
            reader => known[reader.GetString(0)] = new Decision(reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetBoolean(3)),
            dialect.ListValue(batch.Select(sent => sent.Payment.Reference).Distinct().ToList()));
        step.Add($"SELECT iban, status FROM external_accounts WHERE {dialect.InList("iban", "p0", "character(26)[]")}",
            reader => statuses[reader.GetString(0)] = Enum.Parse<AccountStatus>(reader.GetString(1)),
            dialect.ListValue(batch.Select(sent => sent.Payment.Destination.Value).Distinct().ToList()));
        await step.RunAsync(cancellationToken);

        var answers = new BankAnswer[batch.Count];
        var isNew = new bool[batch.Count];
        var recorded = new bool[batch.Count];
        var now = dialect.Instant(_clock.GetUtcNow());
        var newRows = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (payment, mode) = batch[i];
            if (known.TryGetValue(payment.Reference, out var first))
            {
                if (!first.IsAnswered && mode != BankMode.Timeout)
                {
                    // The bank has come back: it tells what it decided when the payment arrived.
                    step.Add("UPDATE sim_bank_payments SET is_answered = @p0 WHERE reference = @p1", dialect.Bool(true), payment.Reference);
                    first = first with { IsAnswered = true };
                    known[payment.Reference] = first;
                }
                answers[i] = first.IsAnswered ? first.Answer : new BankAnswer(BankAnswerKind.NoAnswer);
                continue;
            }
            isNew[i] = true;
            var (isAccepted, reason) = Decide(payment, mode, statuses.TryGetValue(payment.Destination.Value, out var status) ? status : null);
            var decision = new Decision(isAccepted, reason, IsAnswered: mode != BankMode.Timeout);
            known[payment.Reference] = decision;
            newRows.Add(i);
            answers[i] = decision.IsAnswered ? decision.Answer : new BankAnswer(BankAnswerKind.NoAnswer);
        }
        AddRecords(step, dialect, newRows.Select(i => (i, batch[i].Payment, known[batch[i].Payment.Reference])).ToList(), now, index => recorded[index] = true);
        await step.RunAsync(cancellationToken);
        // A record written at this very moment by someone else (another node sending, or recovery asking) is the bank's
        // record of the payment, not the decision made here.
        for (var i = 0; i < batch.Count; i++)
        {
            if (isNew[i] && !recorded[i])
            {
                var index = i;
                step.Add("SELECT is_accepted, reason, is_answered FROM sim_bank_payments WHERE reference = @p0",
                    reader => answers[index] = reader.GetBoolean(2)
                        ? new Decision(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1), true).Answer
                        : new BankAnswer(BankAnswerKind.NoAnswer),
                    batch[i].Payment.Reference);
            }
        }
        await step.RunAsync(cancellationToken);
        return answers;
    }

    private static (bool IsAccepted, string? Reason) Decide(InterbankPayment payment, BankMode mode, AccountStatus? status)
    {
        if (mode == BankMode.Reject)
        {
            return (false, "destination bank rejected the payment");
        }
        if (status is not { } known)
        {
            return (false, "destination account not found");
        }
        return known switch
        {
            AccountStatus.Blocked => (false, "destination account is blocked"),
            AccountStatus.Dormant => (false, "destination account is dormant"),
            AccountStatus.Active => (true, null),
        };
    }

    private sealed record Sent(InterbankPayment Payment, BankMode Mode);

    private sealed record Decision(bool IsAccepted, string? Reason, bool IsAnswered)
    {
        public BankAnswer Answer => IsAccepted ? new BankAnswer(BankAnswerKind.Accepted) : new BankAnswer(BankAnswerKind.Rejected, Reason);
    }

    public async Task<BankAnswer> AskAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(payment.Destination.BankCode, cancellationToken);
        if (behaviour.Mode == BankMode.Down)
        {
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var received = await db.SimulatedBankPayments.SingleOrDefaultAsync(row => row.Reference == payment.Reference, cancellationToken);
        if (received is not null)
        {
            return await AnswerAsync(db, received, behaviour, cancellationToken);
        }
        // "Never received" is final, as on a real rail: the bank records the reference as refused, so a payment still on
        // its way (sent by another gateway node, or delayed on the wire) is rejected when it arrives, instead of being
        // credited after the gateway has voided its hold. The unique reference decides a race with its arrival.
        var recorded = await _sessions.InTransactionAsync(CommitDurability.Deferred, async session =>
        {
            var inserted = false;
            await new SqlStep(session).Add(InsertPayment, _ => inserted = true, payment.Reference, payment.Destination.BankCode,
                payment.Destination.Value, payment.Amount.AmountRials, session.Dialect.Bool(false),
                "the payment was asked about before it arrived and is cancelled", session.Dialect.Bool(true),
                session.Dialect.Instant(_clock.GetUtcNow())).RunAsync(cancellationToken);
            return inserted;
        }, cancellationToken);
        if (recorded)
        {
            return new BankAnswer(BankAnswerKind.NotReceived);
        }
        // It arrived at that very moment; the bank answers from its record of it.
        var arrived = await db.SimulatedBankPayments.AsNoTracking().SingleAsync(row => row.Reference == payment.Reference, cancellationToken);
        return await AnswerAsync(db, arrived, behaviour, cancellationToken);
    }

    public async Task<LookedUpIban> LookUpAsync(Iban iban, CancellationToken cancellationToken)
    {
        var behaviour = await BehaviourAsync(iban.BankCode, cancellationToken);
        if (behaviour.Mode is BankMode.Down or BankMode.Timeout)
        {
            return new LookedUpIban(LookupOutcome.Unreachable);
        }
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.ExternalAccounts.AsNoTracking().SingleOrDefaultAsync(external => external.Iban == iban.Value, cancellationToken);
        return account is null
            ? new LookedUpIban(LookupOutcome.NotFound)
            : new LookedUpIban(LookupOutcome.Found, account.Status, [new AccountOwner(account.FirstName, account.LastName)]);
    }

    public async Task<SimulatedBankBehaviour> SetBehaviourAsync(string bankCode, BankMode mode, int latencyMs, CancellationToken cancellationToken)
    {
        Invariant.Holds(latencyMs is >= 0 and <= LatencyMsMax);
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var behaviour = await db.SimulatedBankBehaviours.SingleOrDefaultAsync(bank => bank.BankCode == bankCode, cancellationToken);
        if (behaviour is null)
        {
            behaviour = new SimulatedBankBehaviour { BankCode = bankCode, Mode = mode, LatencyMs = latencyMs };
            db.SimulatedBankBehaviours.Add(behaviour);
        }
        else
        {
            behaviour.Mode = mode;
            behaviour.LatencyMs = latencyMs;
        }
        await db.SaveChangesAsync(cancellationToken);
        lock (_behavioursGate)
        {
            // This node sees its own change at once; other nodes within BehaviourRefreshMs.
            _behaviours = null;
        }
        return behaviour;
    }

    /// <summary>
    /// The banks' behaviour lives in the database (shared by every node) and is read whole, a handful of rows, at most
    /// once a second per node, instead of once per payment.
    /// </summary>
    private async Task<SimulatedBankBehaviour> BehaviourAsync(string bankCode, CancellationToken cancellationToken)
    {
        Dictionary<string, SimulatedBankBehaviour>? behaviours;
        lock (_behavioursGate)
        {
            behaviours = Environment.TickCount64 - _behavioursReadAtMs < BehaviourRefreshMs ? _behaviours : null;
        }
        if (behaviours is null)
        {
            var readAtMs = Environment.TickCount64;
            await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
            behaviours = await db.SimulatedBankBehaviours.AsNoTracking().ToDictionaryAsync(bank => bank.BankCode, StringComparer.Ordinal, cancellationToken);
            lock (_behavioursGate)
            {
                _behaviours = behaviours;
                _behavioursReadAtMs = readAtMs;
            }
        }
        return behaviours.GetValueOrDefault(bankCode) ?? new SimulatedBankBehaviour { BankCode = bankCode, Mode = BankMode.Normal, LatencyMs = 0 };
    }

    private static async Task<BankAnswer> AnswerAsync(HavaleDb db, SimulatedBankPayment received, SimulatedBankBehaviour behaviour,
        CancellationToken cancellationToken)
    {
        if (received.IsAnswered)
        {
            return DecisionOf(received);
        }
        if (behaviour.Mode == BankMode.Timeout)
        {
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
        // The bank has come back: it tells what it decided when the payment arrived.
        await db.SimulatedBankPayments.Where(row => row.Reference == received.Reference)
            .ExecuteUpdateAsync(update => update.SetProperty(row => row.IsAnswered, true), cancellationToken);
        return DecisionOf(received);
    }

    private static BankAnswer DecisionOf(SimulatedBankPayment received) => new Decision(received.IsAccepted, received.Reason, true).Answer;
}
