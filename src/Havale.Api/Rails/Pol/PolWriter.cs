using Havale.Api.Accounts;
using Havale.Api.CallLog;
using Havale.Api.Features.Webhooks;
using Havale.Api.Ledger;

namespace Havale.Api.Rails.Pol;

/// <summary>
/// What a Pol payment asks of the database before the bank is asked: admit the call (once per client and trackId),
/// take the day's caps and hold the money, all in one transaction.
/// </summary>
public sealed record PolHoldRequest(
    CallRecord? Call,
    long SourceAccountId,
    string SourceDeposit,
    long ClearingAccountId,
    long AmountRials,
    PolCapsKey? Caps,
    long DailyAmountRialsMax,
    int DailyPaymentsToOneBeneficiaryMax,
    TransferOrigin Origin,
    DateTimeOffset NowUtc);

/// <summary>Whose day a Pol payment counts against: the sender's amount, and their count of payments to one IBAN.</summary>
public sealed record PolCapsKey(string Nid, string Iban, string TehranDay);

/// <summary>Every way a hold request ends, in the order the rules are checked.</summary>
public enum PolHoldOutcome
{
    Held,
    /// <summary>The client used this trackId before (or at this moment in the same batch): the call is not run again.</summary>
    AlreadyCalled,
    SourceNotActive,
    DailyAmountExceeded,
    DailyBeneficiaryCountExceeded,
    InsufficientFunds,
    /// <summary>
    /// The batch's commit was never answered (<see cref="CommitOutcomeUnknownException"/>): the call's admission and its
    /// hold may be on disk or not. Nothing may be sent to the bank; recovery resolves the hold if it exists.
    /// </summary>
    CommitUnknown,
}

public sealed record PolHoldResult(PolHoldOutcome Outcome, long HoldId = 0, long CallId = 0);

/// <summary>How a hold ends once its bank has answered: posted and settled to the bank, or voided with the caps given back.</summary>
public sealed record PolSettlement(
    long HoldId,
    bool IsPosted,
    long DepositAccountId,
    long ClearingAccountId,
    long BankAccountId,
    long AmountRials,
    PolCapsKey? Caps,
    TransferOrigin Origin,
    string? Note,
    DateTimeOffset NowUtc);

/// <summary>The answer a call gave, stored so that a retry with the same trackId gets it back byte for byte.</summary>
public sealed record CallAnswer(long CallId, int Status, string? ContentType, byte[] Body, DateTimeOffset NowUtc);

/// <summary>The second commit of a payment: its settlement (if the bank answered) and its stored answer (if a call made it).</summary>
public sealed record PolFinish(PolSettlement? Settlement, CallAnswer? Answer);

/// <summary>One piece of work for the writer: a hold or a finish.</summary>
public sealed record PolWork(PolHoldRequest? Hold, PolFinish? Finish);

/// <summary>
/// The result of one piece of work: a hold's result, or whether a settlement found its hold still open;
/// <paramref name="CommitUnknown"/> is set on every finish of a batch whose commit was never answered.
/// </summary>
public sealed record PolWorkResult(PolHoldResult? Hold, bool SettlementApplied, CommitOutcomeUnknownException? CommitUnknown = null);

/// <summary>
/// The per-node writer of Pol payments. Concurrent payments are grouped (see <see cref="GroupCommitter{TItem,TResult}"/>)
/// and each batch is one transaction of a few set-wise steps: lock the ledger rows and cap rows the batch touches, in
/// id order; admit the calls; then decide each payment in arrival order against the running balance and caps of the
/// ones before it (one payment short of money does not fail its neighbours); then write every hold, settlement,
/// balance change, cap change and stored answer; then commit. The database's row locks and CHECK constraints decide,
/// so two nodes writing to the same deposit stay exact; nothing is cached between batches.
/// </summary>
public sealed class PolWriter : IAsyncDisposable
{
    public const int BatchItemsMax = 256;
    private const int RetriesMax = 5;

    private readonly SqlSessions _sessions;
    private readonly GroupCommitter<PolWork, PolWorkResult> _committer;
    private readonly ILogger<PolWriter> _logger;
    private readonly DurabilityBarrier? _barrier;

    public PolWriter(SqlSessions sessions, StorageInfo storage, RailOptions options, ILogger<PolWriter> logger, DurabilityBarrier? barrier = null)
    {
        _sessions = sessions;
        _logger = logger;
        var isPostgres = storage.Provider == DatabaseProvider.Postgres;
        Invariant.Holds(!isPostgres || barrier is not null);
        // With pipelined commits (PostgreSQL, off by default) a batch commits without waiting for the disk and its
        // callers wait for the barrier after it (see DurabilityBarrier). SQLite has one writer: a second batch in
        // flight would only wait for the file lock. See RailOptions.PolBatchesInFlight.
        _barrier = isPostgres && options.PolPipelinedCommits ? barrier : null;
        var inFlight = isPostgres ? options.PolBatchesInFlight : 1;
        _committer = new GroupCommitter<PolWork, PolWorkResult>(ApplyWithRetriesAsync, BatchItemsMax, inFlight);
    }

    public long BatchesApplied => _committer.BatchesApplied;

    public long ItemsApplied => _committer.ItemsApplied;

    public async Task<PolHoldResult> HoldAsync(PolHoldRequest request, CancellationToken cancellationToken)
        => (await _committer.SubmitAsync(new PolWork(request, null), cancellationToken)).Hold!;

    /// <summary>Applies a finish; false when the settlement's hold had already been resolved (by recovery, or another node).</summary>
    public async Task<bool> FinishAsync(PolFinish finish, CancellationToken cancellationToken)
    {
        var result = await _committer.SubmitAsync(new PolWork(null, finish), cancellationToken);
        if (result.CommitUnknown is { } unknown)
        {
            // A new exception for each caller: the batch's one is shared by every item of it.
            throw new CommitOutcomeUnknownException(unknown.InnerException!);
        }
        return result.SettlementApplied;
    }

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    private async Task<PolWorkResult[]> ApplyWithRetriesAsync(IReadOnlyList<PolWork> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var results = await ApplyAsync(work, cancellationToken);
                Platform.Telemetry.HavaleMetrics.PolBatch(work.Count);
                return results;
            }
            catch (Exception exception) when (attempt < RetriesMax && SqlTransactions.IsRetryable(exception))
            {
                // The database aborted the whole transaction (a deadlock with another node's batch, say): nothing of it
                // was written, so the same batch runs again.
                _logger.LogInformation("Pol batch of {Count} retried after {Error}", work.Count, exception.GetType().Name);
            }
        }
    }

    private async Task<PolWorkResult[]> ApplyAsync(IReadOnlyList<PolWork> work, CancellationToken cancellationToken)
    {
        var batch = new Batch(work, _sessions.Dialect);
        try
        {
            var results = await _sessions.InTransactionAsync(_barrier is null ? CommitDurability.Immediate : CommitDurability.Deferred, async session =>
            {
                var step = new SqlStep(session);
                batch.Lock(step);
                await step.RunAsync(cancellationToken);
                batch.Decide();
                batch.Write(step);
                await step.RunAsync(cancellationToken);
                return batch.Results();
            }, cancellationToken);
            if (_barrier is not null)
            {
                // Nobody hears of the batch (no bank is asked, no answer given) before its commit is on disk.
                await WaitDurableAsync(_barrier);
            }
            return results;
        }
        catch (CommitOutcomeUnknownException unknown)
        {
            // Not an error of the batch's items, and not one to throw at them: each must tell its caller "outcome
            // unknown" (408), not "nothing happened" (503), because its hold may be on disk.
            _logger.LogWarning("Pol batch of {Count}: the commit was never answered; its holds are left to recovery", work.Count);
            return batch.ResultsOfUnknownCommit(unknown);
        }
    }

    /// <summary>The barrier's flush failing leaves the batch's commit acknowledged but maybe not on disk: unknown.</summary>
    private static async Task WaitDurableAsync(DurabilityBarrier barrier)
    {
        try
        {
            await barrier.WaitAsync();
        }
        catch (Exception exception) when (DatabaseFaults.IsUnavailable(exception))
        {
            throw new CommitOutcomeUnknownException(exception);
        }
    }

    /// <summary>One batch's state between its steps.</summary>
    private sealed class Batch(IReadOnlyList<PolWork> work, SqlDialect dialect)
    {
        private readonly Dictionary<long, LedgerAccountRow> _accounts = [];
        private readonly Dictionary<string, AccountStatus> _depositStatuses = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Nid, string Day), long> _sentRials = [];
        private readonly Dictionary<(string Nid, string Iban, string Day), int> _payments = [];
        private readonly Dictionary<(string Nid, string Day), long> _sentDeltaRials = [];
        private readonly Dictionary<(string Nid, string Iban, string Day), int> _paymentsDelta = [];
        private readonly long[] _callIds = new long[work.Count];
        private readonly bool[] _settlementInserted = new bool[work.Count];
        private readonly PolHoldOutcome[] _holdOutcomes = new PolHoldOutcome[work.Count];
        private readonly long[] _holdIds = new long[work.Count];

        /// <summary>Step one: lock what the batch touches, read it, admit the calls, claim the holds being settled.</summary>
        public void Lock(SqlStep step)
        {
            var accountIds = new SortedSet<long>();
            var deposits = new HashSet<string>(StringComparer.Ordinal);
            var senderDays = new SortedSet<(string Nid, string Day)>();
            var beneficiaryDays = new SortedSet<(string Nid, string Iban, string Day)>();
            foreach (var item in work)
            {
                if (item.Hold is { } hold)
                {
                    accountIds.Add(hold.SourceAccountId);
                    deposits.Add(hold.SourceDeposit);
                    AddCaps(hold.Caps);
                }
                if (item.Finish?.Settlement is { } settlement)
                {
                    accountIds.Add(settlement.DepositAccountId);
                    if (settlement.IsPosted)
                    {
                        accountIds.Add(settlement.BankAccountId);
                    }
                    else
                    {
                        AddCaps(settlement.Caps);
                    }
                }
            }

            // Rows are locked in one order by every batch on every node (accounts by id, then cap rows by key), so
            // batches wait for each other instead of deadlocking.
            if (accountIds.Count > 0)
            {
                step.Add(LedgerSql.LockAccounts(dialect), reader => _accounts[reader.GetInt64(0)] = new LedgerAccountRow(reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3)),
                    dialect.ListValue(accountIds));
            }
            if (deposits.Count > 0)
            {
                step.Add($"SELECT number, status FROM deposits WHERE {dialect.InList("number", "p0", "character(13)[]")}",
                    reader => _depositStatuses[reader.GetString(0)] = Enum.Parse<AccountStatus>(reader.GetString(1)),
                    dialect.ListValue(deposits));
            }
            PolCapRows.AddLocks(step, dialect, senderDays, beneficiaryDays,
                (key, sentRials) => _sentRials[key] = sentRials, (key, payments) => _payments[key] = payments);
            var calls = new List<CallRecord>();
            var callItems = new List<int>();
            var resolutions = new TransferRows(dialect);
            var resolutionItems = new List<int>();
            for (var i = 0; i < work.Count; i++)
            {
                if (work[i].Hold is { Call: { } call })
                {
                    calls.Add(call);
                    callItems.Add(i);
                }
                if (work[i].Finish?.Settlement is { } settlement)
                {
                    var kind = settlement.IsPosted ? TransferKind.PostPending : TransferKind.VoidPending;
                    resolutions.Add(kind, settlement.DepositAccountId, settlement.ClearingAccountId, settlement.AmountRials, settlement.HoldId,
                        settlement.Origin, settlement.Note, null, settlement.NowUtc);
                    resolutionItems.Add(i);
                }
            }
            CallLogSql.AddAdmissions(step, dialect, calls, isPayment: true, (call, id) => _callIds[callItems[call]] = id);
            resolutions.AddTo(step, TransferInsert.Resolution, (row, _) => _settlementInserted[resolutionItems[row]] = true);

            void AddCaps(PolCapsKey? caps)
            {
                if (caps is not null)
                {
                    senderDays.Add((caps.Nid, caps.TehranDay));
                    beneficiaryDays.Add((caps.Nid, caps.Iban, caps.TehranDay));
                }
            }
        }

        /// <summary>
        /// Between the steps, in C#, on rows this transaction has locked: settlements first (a void frees money for
        /// the holds behind it), then each hold in arrival order against what the ones before it took.
        /// </summary>
        public void Decide()
        {
            for (var i = 0; i < work.Count; i++)
            {
                if (work[i].Finish?.Settlement is { } settlement && _settlementInserted[i])
                {
                    var deposit = _accounts[settlement.DepositAccountId];
                    deposit.PendingDeltaRials -= settlement.AmountRials;
                    if (settlement.IsPosted)
                    {
                        // Deposit to clearing, then clearing to the bank: the clearing account's two legs cancel out.
                        deposit.BalanceDeltaRials -= settlement.AmountRials;
                        _accounts[settlement.BankAccountId].BalanceDeltaRials += settlement.AmountRials;
                    }
                    else if (settlement.Caps is { } caps)
                    {
                        // Never below zero: a Pol hold made outside the rail (by a test, or by a gateway older than
                        // this writer, which took the caps in a transaction of its own) may have taken nothing here.
                        var senderKey = (caps.Nid, caps.TehranDay);
                        var beneficiaryKey = (caps.Nid, caps.Iban, caps.TehranDay);
                        Add(_sentDeltaRials, senderKey, -Math.Min(settlement.AmountRials, _sentRials[senderKey] + _sentDeltaRials.GetValueOrDefault(senderKey)));
                        Add(_paymentsDelta, beneficiaryKey, -Math.Min(1, _payments[beneficiaryKey] + _paymentsDelta.GetValueOrDefault(beneficiaryKey)));
                    }
                }
            }
            for (var i = 0; i < work.Count; i++)
            {
                if (work[i].Hold is { } hold)
                {
                    _holdOutcomes[i] = DecideHold(hold, _callIds[i]);
                }
            }
        }

        private PolHoldOutcome DecideHold(PolHoldRequest hold, long callId)
        {
            if (hold.Call is not null && callId == 0)
            {
                return PolHoldOutcome.AlreadyCalled;
            }
            if (!_depositStatuses.TryGetValue(hold.SourceDeposit, out var status) || status != AccountStatus.Active)
            {
                return PolHoldOutcome.SourceNotActive;
            }
            if (hold.Caps is { } caps)
            {
                var senderKey = (caps.Nid, caps.TehranDay);
                if (_sentRials[senderKey] + _sentDeltaRials.GetValueOrDefault(senderKey) + hold.AmountRials > hold.DailyAmountRialsMax)
                {
                    return PolHoldOutcome.DailyAmountExceeded;
                }
                var beneficiaryKey = (caps.Nid, caps.Iban, caps.TehranDay);
                if (_payments[beneficiaryKey] + _paymentsDelta.GetValueOrDefault(beneficiaryKey) + 1 > hold.DailyPaymentsToOneBeneficiaryMax)
                {
                    return PolHoldOutcome.DailyBeneficiaryCountExceeded;
                }
            }
            var source = _accounts[hold.SourceAccountId];
            if (!source.AllowsNegative && source.AvailableRials < hold.AmountRials)
            {
                return PolHoldOutcome.InsufficientFunds;
            }
            source.PendingDeltaRials += hold.AmountRials;
            if (hold.Caps is { } taken)
            {
                Add(_sentDeltaRials, (taken.Nid, taken.TehranDay), hold.AmountRials);
                Add(_paymentsDelta, (taken.Nid, taken.Iban, taken.TehranDay), 1);
            }
            return PolHoldOutcome.Held;
        }

        /// <summary>Step two: every row the decisions produce. The CHECK constraints still stand behind each of them.</summary>
        public void Write(SqlStep step)
        {
            var holds = new TransferRows(dialect);
            var holdItems = new List<int>();
            var settled = new SortedDictionary<(long ClearingAccountId, long BankAccountId), (long AmountRials, string BankCode, DateTimeOffset LastUtc)>();
            var completions = new List<object?[]>();
            for (var i = 0; i < work.Count; i++)
            {
                if (work[i].Hold is { } hold && _holdOutcomes[i] == PolHoldOutcome.Held)
                {
                    holds.Add(TransferKind.Pending, hold.SourceAccountId, hold.ClearingAccountId, hold.AmountRials, null, hold.Origin, hold.Origin.Note,
                        null, hold.NowUtc);
                    holdItems.Add(i);
                }
                if (work[i].Finish is { } finish)
                {
                    if (finish.Settlement is { IsPosted: true } posted && _settlementInserted[i])
                    {
                        var key = (posted.ClearingAccountId, posted.BankAccountId);
                        var bankCode = Iban.Parse(posted.Origin.Counterparty!).BankCode;
                        settled[key] = (settled.GetValueOrDefault(key).AmountRials + posted.AmountRials, bankCode, posted.NowUtc);
                    }
                    if (finish.Answer is { } answer)
                    {
                        completions.Add(CallLogSql.CompleteValues(answer.CallId, answer.Status, answer.ContentType, answer.Body, answer.NowUtc, dialect));
                    }
                }
            }
            holds.AddTo(step, TransferInsert.Plain, (row, id) => _holdIds[holdItems[row]] = id);
            // Netted, as a Paya cycle is: one clearing-to-bank transfer per bank per batch moves what the batch's posts
            // put in clearing, so the clearing account's two legs cancel and a payment costs the ledger two rows, not three.
            var settlements = new TransferRows(dialect);
            foreach (var ((clearingAccountId, bankAccountId), (amountRials, bankCode, lastUtc)) in settled)
            {
                settlements.Add(TransferKind.Posted, clearingAccountId, bankAccountId, amountRials, null,
                    new TransferOrigin(RailKind.Settlement, Reference: "pol-settlement", Counterparty: bankCode), "Pol batch, netted", null, lastUtc);
            }
            settlements.AddTo(step, TransferInsert.Plain);
            CallLogSql.AddCompletions(step, dialect, completions);
            // The webhook events of the settlements this batch made, in its transaction (the outbox): one INSERT for all.
            WebhookOutbox.Add(step, dialect, work.Where((item, i) => _settlementInserted[i])
                .Select(item => PolEvents.Settled(item.Finish!.Settlement!)).OfType<OutboxEvent>());
            LedgerSql.AddDeltas(step, dialect, _accounts.Select(pair => (pair.Key, pair.Value.BalanceDeltaRials, pair.Value.PendingDeltaRials)));
            PolCapRows.AddChanges(step, dialect, _sentDeltaRials, _paymentsDelta);
        }

        public PolWorkResult[] Results()
        {
            var results = new PolWorkResult[work.Count];
            for (var i = 0; i < work.Count; i++)
            {
                var hold = work[i].Hold is null ? null : new PolHoldResult(_holdOutcomes[i], _holdIds[i], _callIds[i]);
                Invariant.Holds(hold is null || (hold.Outcome == PolHoldOutcome.Held) == (hold.HoldId != 0));
                results[i] = new PolWorkResult(hold, _settlementInserted[i]);
            }
            return results;
        }

        /// <summary>
        /// Every item's end when the commit was never answered: a payment admitted here is unknown (its call id is
        /// kept, so the call can be marked interrupted once the database answers); a trackId used before was written
        /// nothing for, so it is still that; a finish carries the exception for its caller to throw.
        /// </summary>
        public PolWorkResult[] ResultsOfUnknownCommit(CommitOutcomeUnknownException unknown)
        {
            var results = new PolWorkResult[work.Count];
            for (var i = 0; i < work.Count; i++)
            {
                var hold = work[i].Hold is null ? null
                    : _holdOutcomes[i] == PolHoldOutcome.AlreadyCalled ? new PolHoldResult(PolHoldOutcome.AlreadyCalled)
                    : new PolHoldResult(PolHoldOutcome.CommitUnknown, 0, _callIds[i]);
                results[i] = new PolWorkResult(hold, false, work[i].Hold is null ? unknown : null);
            }
            return results;
        }

        private static void Add<TKey>(Dictionary<TKey, long> sums, TKey key, long delta) where TKey : notnull
            => sums[key] = sums.GetValueOrDefault(key) + delta;

        private static void Add<TKey>(Dictionary<TKey, int> sums, TKey key, int delta) where TKey : notnull
            => sums[key] = sums.GetValueOrDefault(key) + delta;
    }

    /// <summary>A locked ledger row as read, and what this batch has done to it so far.</summary>
    private sealed class LedgerAccountRow(long balanceRials, long pendingRials, bool allowsNegative)
    {
        public bool AllowsNegative { get; } = allowsNegative;
        public long BalanceDeltaRials { get; set; }
        public long PendingDeltaRials { get; set; }
        public long AvailableRials => balanceRials + BalanceDeltaRials - (pendingRials + PendingDeltaRials);
    }
}
