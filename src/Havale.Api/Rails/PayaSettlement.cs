using Havale.Api.Features.Webhooks;
using Havale.Api.Ledger;
using Microsoft.EntityFrameworkCore.Storage;

namespace Havale.Api.Rails;

public sealed partial class PaymentRails
{
    /// <summary>
    /// Settles a batch of due Paya holds: one request per bank with all of that bank's payments, then one transaction
    /// for the whole batch — every resolution inserted (the unique pending_id index keeps each hold resolved once,
    /// even when a crash made this batch run twice), one balance change per touched account, and one netted
    /// clearing-to-bank transfer per bank. A crash between batches resumes at the first hold still open.
    /// </summary>
    private async Task<int> SettlePayaAsync(IReadOnlyList<LedgerTransfer> holds, CancellationToken cancellationToken)
    {
        var answered = new List<(LedgerTransfer Hold, BankAnswer Answer)>(holds.Count);
        var destinations = holds.ToDictionary(hold => hold.Id, hold => Iban.Parse(hold.Counterparty!));
        foreach (var bank in holds.GroupBy(hold => destinations[hold.Id].BankCode))
        {
            var payments = bank.Select(hold => new InterbankPayment(RailKind.Paya, hold.Reference!, destinations[hold.Id],
                Rials.FromTrusted(hold.AmountRials))).ToList();
            var answers = await _network.SendManyAsync(bank.Key, payments, cancellationToken);
            Invariant.Holds(answers.Count == payments.Count);
            // Nothing reached the bank (down), or it has not answered yet: those holds wait for the next pass.
            answered.AddRange(bank.Zip(answers).Where(pair => pair.Second.Kind is BankAnswerKind.Accepted or BankAnswerKind.Rejected
                or BankAnswerKind.NotReceived));
        }
        if (answered.Count == 0)
        {
            return 0;
        }

        var bankIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var code in answered.Select(pair => destinations[pair.Hold.Id].BankCode).Distinct(StringComparer.Ordinal))
        {
            bankIds[code] = await _accounts.IdAsync(_dbFactory, LedgerAccountCodes.Bank(code), cancellationToken);
        }
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var dialect = SqlDialect.Of(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var step = new SqlStep(db.Database.GetDbConnection(), transaction.GetDbTransaction());
        var now = _clock.GetUtcNow();
        var touched = new SortedSet<long>(answered.Select(pair => pair.Hold.DebitAccountId).Concat(bankIds.Values));
        step.Add(LedgerSql.LockAccounts(dialect), _ => { }, dialect.ListValue(touched));
        var resolvedHere = new bool[answered.Count];
        var resolutions = new TransferRows(dialect);
        foreach (var (hold, answer) in answered)
        {
            var isPosted = answer.Kind == BankAnswerKind.Accepted;
            var origin = new TransferOrigin(hold.Rail, hold.ClientId, hold.Nid, hold.TrackId, hold.Reference, null, hold.Counterparty);
            var note = isPosted ? null : Truncate(answer.Reason ?? "the destination bank never received the payment");
            resolutions.Add(isPosted ? TransferKind.PostPending : TransferKind.VoidPending, hold.DebitAccountId, hold.CreditAccountId,
                hold.AmountRials, hold.Id, origin, note, null, now);
        }
        resolutions.AddTo(step, TransferInsert.Resolution, (row, _) => resolvedHere[row] = true);
        await step.RunAsync(cancellationToken);
        // The webhook events of the holds this pass resolved, written with the resolutions (the outbox).
        var events = await OrderEvents.ForPayaAsync(db, answered.Where((_, i) => resolvedHere[i]).Select(pair => pair.Hold).ToList(),
            answered.Where(pair => pair.Answer.Kind == BankAnswerKind.Accepted).Select(pair => pair.Hold.Id).ToHashSet(), now, cancellationToken);

        var balanceDeltas = new SortedDictionary<long, (long BalanceRials, long PendingRials)>();
        var settledToBankRials = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var clearingId = 0L;
        for (var i = 0; i < answered.Count; i++)
        {
            if (!resolvedHere[i])
            {
                continue;
            }
            var (hold, answer) = answered[i];
            var isPosted = answer.Kind == BankAnswerKind.Accepted;
            var (balance, pending) = balanceDeltas.GetValueOrDefault(hold.DebitAccountId);
            balanceDeltas[hold.DebitAccountId] = (balance - (isPosted ? hold.AmountRials : 0), pending - hold.AmountRials);
            if (isPosted)
            {
                var bankCode = destinations[hold.Id].BankCode;
                settledToBankRials[bankCode] = settledToBankRials.GetValueOrDefault(bankCode) + hold.AmountRials;
                Invariant.Holds(clearingId == 0 || clearingId == hold.CreditAccountId);
                clearingId = hold.CreditAccountId;
            }
        }
        // The clearing account is credited by every post and debited by its bank's netted settlement: its change is
        // zero, so it is not written at all, and only the settlement transfers say where the money went.
        var settlements = new TransferRows(dialect);
        foreach (var (bankCode, amountRials) in settledToBankRials)
        {
            var bankId = bankIds[bankCode];
            settlements.Add(TransferKind.Posted, clearingId, bankId, amountRials, null,
                new TransferOrigin(RailKind.Settlement, Reference: "paya-settlement", Counterparty: bankCode), "Paya cycle, netted", null, now);
            var (balance, pending) = balanceDeltas.GetValueOrDefault(bankId);
            balanceDeltas[bankId] = (balance + amountRials, pending);
        }
        settlements.AddTo(step, TransferInsert.Plain);
        LedgerSql.AddDeltas(step, dialect, balanceDeltas.Select(pair => (pair.Key, pair.Value.BalanceRials, pair.Value.PendingRials)));
        WebhookOutbox.Add(step, dialect, events);
        await step.RunAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return resolvedHere.Count(resolved => resolved);
    }
}
