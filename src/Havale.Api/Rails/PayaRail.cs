using Havale.Api.Ledger;

namespace Havale.Api.Rails;

/// <summary>The Paya rail's first half: the hold, in the caller's transaction (PayaSettlement.cs settles the cycle).</summary>
public sealed partial class PaymentRails
{
    /// <summary>Holds money for a Paya payment inside the caller's transaction; the next cycle settles it.</summary>
    public async Task<RailResult> HoldForPayaAsync(HavaleDb db, DepositNumber source, Iban destination, Rials amount, TransferOrigin origin,
        CancellationToken cancellationToken)
    {
        if (destination.IsHostBank || Banks.Find(destination.BankCode) is null)
        {
            return new RailResult(RailOutcome.BankNotOnRail);
        }
        if (await SourceRefusalAsync(db, source, cancellationToken) is { } sourceRefusal)
        {
            return sourceRefusal;
        }
        // The cycle comes back in Tehran's offset; stored in UTC, since PostgreSQL's timestamptz takes only UTC from Npgsql
        // and SQLite's binary DateTimeOffset orders by wall-_clock ticks, so "due before now" is only right when both are UTC.
        var settlesUtc = PayaCycles.NextSettlement(_clock.GetUtcNow()).ToUniversalTime();
        var reference = NewReference("PY");
        var sourceId = await _accounts.IdAsync(db, LedgerAccountCodes.Deposit(source), cancellationToken);
        var clearingId = await _accounts.IdAsync(db, LedgerAccountCodes.Clearing(RailKind.Paya), cancellationToken);
        var held = await book.HoldAsync(db, sourceId, clearingId, amount,
            origin with { Rail = RailKind.Paya, Reference = reference, Counterparty = destination.Value }, settlesUtc, cancellationToken);
        return held.IsDone
            ? new RailResult(RailOutcome.Done, reference, held.Transfer!.Id, SettlesUtc: settlesUtc)
            : new RailResult(RailOutcome.InsufficientFunds);
    }
}
