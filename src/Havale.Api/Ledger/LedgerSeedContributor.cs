using Havale.Api.Sandbox;

namespace Havale.Api.Ledger;

/// <summary>
/// Gives each deposit the seed adds its ledger account and opening balance, funded from the genesis account,
/// inside the seed's own transaction. A deposit that already existed keeps its balance: a restart resets nothing.
/// </summary>
public sealed class LedgerSeedContributor(LedgerAccounts accounts, LedgerBook book) : ISeedContributor
{
    public async Task ContributeAsync(HavaleDb db, ValidSeed seed, IReadOnlyList<ValidSeedDeposit> newDeposits, CancellationToken cancellationToken)
    {
        await accounts.EnsureSystemAccountsAsync(db, cancellationToken);
        var genesisId = await accounts.IdAsync(db, LedgerAccountCodes.Genesis, cancellationToken);
        foreach (var deposit in newDeposits)
        {
            var accountId = await accounts.OpenDepositAsync(db, deposit.Number, cancellationToken);
            if (deposit.BalanceRials > 0)
            {
                var funded = await book.TransferAsync(db, genesisId, accountId, Rials.FromTrusted(deposit.BalanceRials),
                    new TransferOrigin(RailKind.Genesis, Note: "sandbox opening balance"), cancellationToken);
                Invariant.Holds(funded.IsDone);
            }
        }
    }
}
