using Havale.Api.Accounts;
using Havale.Api.Ledger;

namespace Havale.Api.Rails;

/// <summary>The internal rail: host deposit to host deposit, posted at once in the caller's transaction.</summary>
public sealed partial class PaymentRails
{
    /// <summary>Host deposit to host deposit, posted at once, inside the caller's transaction.</summary>
    public async Task<RailResult> TransferInternalAsync(HavaleDb db, DepositNumber source, DepositNumber destination, Rials amount,
        TransferOrigin origin, CancellationToken cancellationToken)
    {
        if (await SourceRefusalAsync(db, source, cancellationToken) is { } sourceRefusal)
        {
            return sourceRefusal;
        }
        if (await DepositStatusAsync(db, destination, cancellationToken) is not { } destinationStatus)
        {
            return new RailResult(RailOutcome.DestinationNotFound);
        }
        if (destinationStatus != AccountStatus.Active)
        {
            return new RailResult(RailOutcome.DestinationNotActive);
        }
        if (!InternalTransferHours.IsOpen(_clock.GetUtcNow()))
        {
            return new RailResult(RailOutcome.RailClosed);
        }
        var sourceId = await _accounts.IdAsync(db, LedgerAccountCodes.Deposit(source), cancellationToken);
        var destinationId = await _accounts.IdAsync(db, LedgerAccountCodes.Deposit(destination), cancellationToken);
        var reference = NewReference("IN");
        var result = await book.TransferAsync(db, sourceId, destinationId, amount,
            origin with { Rail = RailKind.Internal, Reference = reference, Counterparty = destination.Value }, cancellationToken);
        return result.Outcome switch
        {
            LedgerOutcome.Done => new RailResult(RailOutcome.Done, reference, result.Transfer!.Id),
            LedgerOutcome.InsufficientFunds => new RailResult(RailOutcome.InsufficientFunds),
            LedgerOutcome.HoldNotFound or LedgerOutcome.HoldAlreadyResolved =>
                throw new InvariantViolationException("invariant failed: a posted transfer has no hold"),
        };
    }
}
