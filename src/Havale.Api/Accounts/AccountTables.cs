namespace Havale.Api.Accounts;

/// <summary>
/// Clients, customers and their deposits and members, as <c>db.Deposits</c> and the like.
/// Why a slice names its own tables: <see cref="HavaleDb"/>.
/// </summary>
public static class AccountTables
{
    extension(HavaleDb db)
    {
        public DbSet<ApiClient> Clients => db.Set<ApiClient>();
        public DbSet<Customer> Customers => db.Set<Customer>();
        public DbSet<Deposit> Deposits => db.Set<Deposit>();
        public DbSet<DepositMember> DepositMembers => db.Set<DepositMember>();
        public DbSet<ExternalAccount> ExternalAccounts => db.Set<ExternalAccount>();
    }
}
