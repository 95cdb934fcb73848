using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Accounts;

/// <summary>
/// The tables of clients, customers and their deposits, as <c>db.Deposits</c> and so on. They are extension
/// properties, not members of <see cref="HavaleDb"/>, so that Storage knows nothing of the slices above it; the
/// tables' shapes are this slice's <c>IEntityTypeConfiguration</c>s, which the model applies.
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
