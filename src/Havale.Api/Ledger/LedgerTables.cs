namespace Havale.Api.Ledger;

/// <summary>The ledger's accounts and its append-only transfers. Why a slice names its own tables: <see cref="HavaleDb"/>.</summary>
public static class LedgerTables
{
    extension(HavaleDb db)
    {
        public DbSet<LedgerAccount> LedgerAccounts => db.Set<LedgerAccount>();
        public DbSet<LedgerTransfer> LedgerTransfers => db.Set<LedgerTransfer>();
    }
}
