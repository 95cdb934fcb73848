using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Havale.Api.Rails.Pol;

namespace Havale.Api.Rails;

/// <summary>
/// A Pol payment that has been held and sent: its result for the caller, and the settlement still to be committed
/// together with the call's answer (<see cref="PaymentRails.FinishPolAsync"/>).
/// </summary>
public sealed record PolStart(RailResult Result, PolSettlement? Settlement, long HoldId, long CallId);

/// <summary>
/// The Pol rail owns the whole payment, in two commits. The first (call admission, the day's caps, the hold) is made
/// before the bank is asked, so a crash while waiting leaves a hold that recovery resolves, never money in neither
/// place; the second (post and settle, or void and give the caps back, and the call's stored answer) after it answers.
/// Both go through the node's <see cref="PolWriter"/>, which commits concurrent payments together.
/// </summary>
public sealed partial class PaymentRails
{
    /// <summary>Pays an IBAN at a Pol bank now, both commits made before it returns (no call log: the rail's own callers and tests).</summary>
    public async Task<RailResult> PayByPolAsync(DepositNumber source, Iban destination, Rials amount, TransferOrigin origin,
        CancellationToken cancellationToken)
    {
        var started = await StartPolAsync(source, destination, amount, origin, null, cancellationToken);
        await FinishPolAsync(started, null);
        return started.Result;
    }

    /// <summary>
    /// The refusals in order, then the first commit (with <paramref name="call"/> admitted in it when given), then the
    /// bank. The caller must pass the result to <see cref="FinishPolAsync"/>, which makes the second commit.
    /// </summary>
    public async Task<PolStart> StartPolAsync(DepositNumber source, Iban destination, Rials amount, TransferOrigin origin, CallRecord? call,
        CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (Banks.Find(destination.BankCode) is not { IsPolParticipant: true })
        {
            return Refused(RailOutcome.BankNotOnRail);
        }
        if (!_polHours.IsOpen(now))
        {
            return new PolStart(new RailResult(RailOutcome.RailClosed,
                Reason: $"Pol is closed from 00:00 to {_polHours.ReopensAtTehranOn(now):HH\\:mm} Tehran time"), null, 0, 0);
        }
        if (await _accounts.FindIdAsync(_dbFactory, LedgerAccountCodes.Deposit(source), cancellationToken) is not { } sourceId)
        {
            return Refused(RailOutcome.SourceNotFound);
        }
        var clearingId = await _accounts.IdAsync(_dbFactory, LedgerAccountCodes.Clearing(RailKind.Pol), cancellationToken);
        var bankId = await _accounts.IdAsync(_dbFactory, LedgerAccountCodes.Bank(destination.BankCode), cancellationToken);
        var reference = NewReference("PL");
        var holdOrigin = origin with { Rail = RailKind.Pol, Reference = reference, Counterparty = destination.Value };
        var caps = origin.Nid is { } nid ? new PolCapsKey(nid, destination.Value, PolCaps.TehranDay(now)) : null;
        var held = await _polWriter.HoldAsync(new PolHoldRequest(call, sourceId, source.Value, clearingId, amount.AmountRials, caps,
            _polOptions.DailyAmountRialsMax, _polOptions.DailyPaymentsToOneBeneficiaryMax, holdOrigin, now), cancellationToken);
        var refusal = held.Outcome switch
        {
            PolHoldOutcome.Held => (RailOutcome?)null,
            PolHoldOutcome.AlreadyCalled => RailOutcome.AlreadyCalled,
            PolHoldOutcome.SourceNotActive => RailOutcome.SourceNotActive,
            PolHoldOutcome.DailyAmountExceeded => RailOutcome.DailyAmountExceeded,
            PolHoldOutcome.DailyBeneficiaryCountExceeded => RailOutcome.DailyBeneficiaryCountExceeded,
            PolHoldOutcome.InsufficientFunds => RailOutcome.InsufficientFunds,
            // Not a refusal, but it ends here as one does: nothing is sent to the bank (the hold may not exist), and
            // recovery resolves the hold if it committed. No hold id: this process does not know of one.
            PolHoldOutcome.CommitUnknown => RailOutcome.Unknown,
        };
        if (refusal is { } refused)
        {
            return new PolStart(new RailResult(refused), null, 0, held.CallId);
        }

        _inFlight.Add(held.HoldId);
        try
        {
            var answer = await SendOrNoAnswerAsync(new InterbankPayment(RailKind.Pol, reference, destination, amount), cancellationToken);
            var settlement = SettlementFor(held.HoldId, sourceId, clearingId, bankId, amount.AmountRials, caps, holdOrigin, answer);
            var result = answer.Kind switch
            {
                BankAnswerKind.Accepted => new RailResult(RailOutcome.Done, reference, held.HoldId),
                BankAnswerKind.Unavailable => new RailResult(RailOutcome.Unavailable, reference, held.HoldId, answer.Reason),
                BankAnswerKind.Rejected or BankAnswerKind.NotReceived => new RailResult(RailOutcome.Rejected, reference, held.HoldId, settlement!.Note),
                BankAnswerKind.NoAnswer => new RailResult(RailOutcome.Unknown, reference, held.HoldId),
            };
            return new PolStart(result, settlement, held.HoldId, held.CallId);
        }
        catch
        {
            // The hold stays open for recovery to resolve with the bank; this process no longer waits on it.
            _inFlight.Remove(held.HoldId);
            throw;
        }

        PolStart Refused(RailOutcome outcome) => new(new RailResult(outcome), null, 0, 0);
    }

    /// <summary>
    /// The second commit: the settlement (if the bank answered) and the call's answer (if a call made the payment),
    /// together. Runs even if the caller has gone: the bank has answered, and the ledger must say so.
    /// </summary>
    public async Task FinishPolAsync(PolStart started, CallAnswer? answer)
    {
        try
        {
            if (started.Settlement is null && answer is null)
            {
                return;
            }
            var applied = await _polWriter.FinishAsync(new PolFinish(started.Settlement, answer), CancellationToken.None);
            if (started.Settlement is not null && !applied)
            {
                // Recovery (here or on another node) asked the bank first and applied the same answer; nothing is lost.
                _logger.LogInformation("Pol hold {HoldId} was resolved before its payment finished", started.HoldId);
            }
        }
        finally
        {
            if (started.HoldId != 0)
            {
                _inFlight.Remove(started.HoldId);
            }
        }
    }

    /// <summary>Recovery's end of a Pol hold whose payment never finished (timed out, or cut off by a crash): the same settlement.</summary>
    private async Task<bool> ResolvePolHoldAsync(LedgerTransfer hold, Iban destination, BankAnswer answer, CancellationToken cancellationToken)
    {
        var bankId = await _accounts.IdAsync(_dbFactory, LedgerAccountCodes.Bank(destination.BankCode), cancellationToken);
        var caps = hold.Nid is { } nid ? new PolCapsKey(nid, destination.Value, PolCaps.TehranDay(hold.CreatedUtc)) : null;
        var origin = new TransferOrigin(RailKind.Pol, hold.ClientId, hold.Nid, hold.TrackId, hold.Reference, hold.Note, hold.Counterparty);
        var settlement = SettlementFor(hold.Id, hold.DebitAccountId, hold.CreditAccountId, bankId, hold.AmountRials, caps, origin, answer);
        return settlement is not null && await _polWriter.FinishAsync(new PolFinish(settlement, null), cancellationToken);
    }

    /// <summary>How the bank's answer ends the hold; null while it has not answered (the money stays held).</summary>
    private PolSettlement? SettlementFor(long holdId, long depositId, long clearingId, long bankId, long amountRials, PolCapsKey? caps,
        TransferOrigin origin, BankAnswer answer) => answer.Kind switch
    {
        BankAnswerKind.NoAnswer => null,
        BankAnswerKind.Accepted => new PolSettlement(holdId, true, depositId, clearingId, bankId, amountRials, caps, origin, null, _clock.GetUtcNow()),
        BankAnswerKind.Rejected or BankAnswerKind.Unavailable or BankAnswerKind.NotReceived => new PolSettlement(holdId, false, depositId,
            clearingId, bankId, amountRials, caps, origin,
            Truncate(answer.Reason ?? (answer.Kind == BankAnswerKind.NotReceived ? "the destination bank never received the payment" : null)),
            _clock.GetUtcNow()),
    };

    /// <summary>
    /// The bank's answer, or no answer when asking failed: the hold has committed, so whatever went wrong (the
    /// database went away under the simulated bank, a broken connection to a real one) leaves the outcome unknown
    /// until recovery asks again. The caller is told 408, never 503 or 500, because money may still move.
    /// </summary>
    private async Task<BankAnswer> SendOrNoAnswerAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        try
        {
            return await SendWithinTimeoutAsync(payment, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Pol payment {Reference} was held but asking its bank failed ({Error}); its outcome is left to recovery",
                payment.Reference, exception.GetBaseException().Message);
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
    }

    private async Task<BankAnswer> SendWithinTimeoutAsync(InterbankPayment payment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PolAnswerTimeoutMs);
        try
        {
            return await _network.SendAsync(payment, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new BankAnswer(BankAnswerKind.NoAnswer);
        }
    }
}

/// <summary>The day a Pol payment's caps count against: the Tehran calendar day it was held on.</summary>
public static class PolCaps
{
    public static string TehranDay(DateTimeOffset instant)
        => TehranTime.ToTehran(instant).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
