using Havale.Api.Accounts;
using Havale.Api.Ledger;
using Microsoft.EntityFrameworkCore.Storage;

namespace Havale.Api.Rails;

/// <summary>
/// Who asks for many payments at once; every transfer carries it. Which rail, the reference and the counterparty are
/// the rail's to decide from each payment's destination, so the caller gives none of them.
/// </summary>
public sealed record PaymentCaller(string ClientId, string Nid, string TrackId);

/// <summary>
/// One payment of many from one deposit: to a host deposit (posted at once) or to an IBAN by Paya (held for the cycle).
/// <paramref name="Note"/> is the line the deposit's statement shows.
/// </summary>
public sealed record ManyPayment(DepositNumber? ToDeposit, Iban? ToPayaIban, Rials Amount, string? Note)
{
    public bool IsInternal => ToDeposit is not null;
}

/// <summary>How many payments ended: all done with a transfer id each, or the first refusal in order and nothing written.</summary>
public sealed record ManyPaymentsResult(RailOutcome Outcome, int RefusedIndex, IReadOnlyList<long> TransferIds, DateTimeOffset? PayaSettlesUtc);

public sealed partial class PaymentRails
{
    /// <summary>
    /// Pays many rows from one deposit inside the caller's transaction, all or nothing, in a handful of statements
    /// whatever the count: lock the accounts (in id order) and read the statuses, decide every row in order against the
    /// running balance exactly as <see cref="TransferInternalAsync"/> and <see cref="HoldForPayaAsync"/> would one by
    /// one, then write every transfer and one balance change per account. A Kilid order of 1,000 rows is one of these.
    /// </summary>
    public async Task<ManyPaymentsResult> PayManyAsync(HavaleDb db, DepositNumber source, PaymentCaller caller,
        IReadOnlyList<ManyPayment> payments, CancellationToken cancellationToken)
    {
        Invariant.Holds(db.Database.CurrentTransaction is not null);
        var dialect = SqlDialect.Of(db);
        var now = _clock.GetUtcNow();
        var settlesUtc = PayaCycles.NextSettlement(now).ToUniversalTime();
        var step = new SqlStep(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction());

        var codes = payments.Where(payment => payment.IsInternal).Select(payment => LedgerAccountCodes.Deposit(payment.ToDeposit!.Value))
            .Append(LedgerAccountCodes.Deposit(source)).Append(LedgerAccountCodes.Clearing(RailKind.Paya)).Distinct(StringComparer.Ordinal).ToList();
        var idsByCode = new Dictionary<string, long>(StringComparer.Ordinal);
        step.Add($"SELECT code, id FROM ledger_accounts WHERE {dialect.InList("code", "p0", "text[]")}",
            reader => idsByCode[reader.GetString(0)] = reader.GetInt64(1), dialect.ListValue(codes));
        var statuses = new Dictionary<string, AccountStatus>(StringComparer.Ordinal);
        var deposits = payments.Where(payment => payment.IsInternal).Select(payment => payment.ToDeposit!.Value.Value).Append(source.Value)
            .Distinct(StringComparer.Ordinal).ToList();
        step.Add($"SELECT number, status FROM deposits WHERE {dialect.InList("number", "p0", "character(13)[]")}",
            reader => statuses[reader.GetString(0)] = Enum.Parse<AccountStatus>(reader.GetString(1)), dialect.ListValue(deposits));
        await step.RunAsync(cancellationToken);

        if (!statuses.TryGetValue(source.Value, out var sourceStatus) || !idsByCode.TryGetValue(LedgerAccountCodes.Deposit(source), out var sourceId))
        {
            return Refused(RailOutcome.SourceNotFound, 0);
        }
        // Every account the rows touch, locked in id order (as every other writer locks them), and read.
        var touched = new SortedSet<long>(payments.Where(payment => payment.IsInternal)
            .Select(payment => idsByCode.GetValueOrDefault(LedgerAccountCodes.Deposit(payment.ToDeposit!.Value))).Where(id => id != 0)) { sourceId };
        long balanceRials = 0, pendingRials = 0;
        var allowsNegative = false;
        step.Add(LedgerSql.LockAccounts(dialect), reader =>
            {
                if (reader.GetInt64(0) == sourceId)
                {
                    (balanceRials, pendingRials, allowsNegative) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3));
                }
            }, dialect.ListValue(touched));
        await step.RunAsync(cancellationToken);

        var availableRials = balanceRials - pendingRials;
        for (var i = 0; i < payments.Count; i++)
        {
            var payment = payments[i];
            if (RefusalOf(payment, sourceStatus, statuses, now, allowsNegative, availableRials) is { } refusal)
            {
                return Refused(refusal, i);
            }
            availableRials -= payment.Amount.AmountRials;
        }

        var transferIds = new long[payments.Count];
        var creditsRials = new SortedDictionary<long, long>();
        long postedRials = 0, heldRials = 0;
        var payaClearingId = idsByCode[LedgerAccountCodes.Clearing(RailKind.Paya)];
        // One row a payment, in the payments' order: the row index is the payment's.
        var rows = new TransferRows(dialect);
        for (var i = 0; i < payments.Count; i++)
        {
            var payment = payments[i];
            var amountRials = payment.Amount.AmountRials;
            if (payment.IsInternal)
            {
                var destinationId = idsByCode[LedgerAccountCodes.Deposit(payment.ToDeposit!.Value)];
                var origin = new TransferOrigin(RailKind.Internal, caller.ClientId, caller.Nid, caller.TrackId, NewReference("IN"), payment.Note,
                    payment.ToDeposit.Value.Value);
                rows.Add(TransferKind.Posted, sourceId, destinationId, amountRials, null, origin, origin.Note, null, now);
                creditsRials[destinationId] = creditsRials.GetValueOrDefault(destinationId) + amountRials;
                postedRials += amountRials;
            }
            else
            {
                var origin = new TransferOrigin(RailKind.Paya, caller.ClientId, caller.Nid, caller.TrackId, NewReference("PY"), payment.Note,
                    payment.ToPayaIban!.Value.Value);
                rows.Add(TransferKind.Pending, sourceId, payaClearingId, amountRials, null, origin, origin.Note, settlesUtc, now);
                heldRials += amountRials;
            }
        }
        rows.AddTo(step, TransferInsert.Plain, (row, id) => transferIds[row] = id);
        // The CHECK constraints stand behind these sums as behind every single transfer.
        LedgerSql.AddDeltas(step, dialect, creditsRials.Select(pair => (pair.Key, pair.Value, 0L)).Append((sourceId, -postedRials, heldRials)));
        await step.RunAsync(cancellationToken);
        Invariant.Holds(transferIds.All(id => id > 0));
        return new ManyPaymentsResult(RailOutcome.Done, -1, transferIds, heldRials > 0 ? settlesUtc : null);

        static ManyPaymentsResult Refused(RailOutcome outcome, int index) => new(outcome, index, [], null);
    }

    /// <summary>One row's refusal, in the order the one-by-one rails check: source, destination, hours, money.</summary>
    private static RailOutcome? RefusalOf(ManyPayment payment, AccountStatus sourceStatus, Dictionary<string, AccountStatus> statuses,
        DateTimeOffset now, bool allowsNegative, long availableRials)
    {
        if (!payment.IsInternal && (payment.ToPayaIban!.Value.IsHostBank || Banks.Find(payment.ToPayaIban.Value.BankCode) is null))
        {
            return RailOutcome.BankNotOnRail;
        }
        if (sourceStatus != AccountStatus.Active)
        {
            return RailOutcome.SourceNotActive;
        }
        if (payment.IsInternal)
        {
            if (!statuses.TryGetValue(payment.ToDeposit!.Value.Value, out var destinationStatus))
            {
                return RailOutcome.DestinationNotFound;
            }
            if (destinationStatus != AccountStatus.Active)
            {
                return RailOutcome.DestinationNotActive;
            }
            if (!InternalTransferHours.IsOpen(now))
            {
                return RailOutcome.RailClosed;
            }
        }
        if (!allowsNegative && availableRials < payment.Amount.AmountRials)
        {
            return RailOutcome.InsufficientFunds;
        }
        return null;
    }
}
