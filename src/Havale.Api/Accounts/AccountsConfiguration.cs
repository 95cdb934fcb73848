using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Accounts;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> builder)
    {
        builder.ToTable("api_clients", table =>
            table.HasCheckConstraint("ck_api_clients_max_amount_positive", "max_amount_per_transaction_rials > 0"));
        builder.HasKey(client => client.ClientId);
        builder.Property(client => client.ClientId).HasMaxLength(Limits.ClientIdCharsMax);
        builder.Property(client => client.Name).HasMaxLength(Sandbox.SeedLimits.ClientNameCharsMax);
        builder.Property(client => client.SecretHash).HasMaxLength(ApiClient.SecretHashCharsMax);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasKey(customer => customer.Nid);
        builder.Property(customer => customer.Nid).StoredAsNationalCode();
        builder.Property(customer => customer.FirstName).HasMaxLength(PersonName.CharsMax);
        builder.Property(customer => customer.LastName).HasMaxLength(PersonName.CharsMax);
        builder.Property(customer => customer.PasswordHash).HasMaxLength(Customer.PasswordHashCharsMax);
    }
}

internal sealed class DepositConfiguration : IEntityTypeConfiguration<Deposit>
{
    public void Configure(EntityTypeBuilder<Deposit> builder)
    {
        builder.ToTable("deposits", table =>
            table.HasCheckConstraint("ck_deposits_required_signatures", "required_signatures >= 1"));
        builder.HasKey(deposit => deposit.Number);
        builder.Property(deposit => deposit.Number).StoredAsDepositNumber();
        builder.Property(deposit => deposit.Status).StoredByName();
        builder.HasMany(deposit => deposit.Members).WithOne().HasForeignKey(member => member.DepositNumber);
    }
}

internal sealed class DepositMemberConfiguration : IEntityTypeConfiguration<DepositMember>
{
    public void Configure(EntityTypeBuilder<DepositMember> builder)
    {
        builder.ToTable("deposit_members");
        builder.HasKey(member => new { member.DepositNumber, member.Nid });
        builder.Property(member => member.DepositNumber).StoredAsDepositNumber();
        builder.Property(member => member.Nid).StoredAsNationalCode();
        builder.HasOne<Customer>().WithMany().HasForeignKey(member => member.Nid).OnDelete(DeleteBehavior.Restrict);
        // "Which deposits may this person act on" is asked on every user-bound call.
        builder.HasIndex(member => member.Nid);
    }
}

internal sealed class ExternalAccountConfiguration : IEntityTypeConfiguration<ExternalAccount>
{
    public void Configure(EntityTypeBuilder<ExternalAccount> builder)
    {
        builder.ToTable("external_accounts");
        builder.HasKey(account => account.Iban);
        builder.Property(account => account.Iban).HasMaxLength(Iban.Length).IsFixedLength();
        builder.Property(account => account.BankCode).StoredAsBankCode();
        builder.Property(account => account.FirstName).HasMaxLength(PersonName.CharsMax);
        builder.Property(account => account.LastName).HasMaxLength(PersonName.CharsMax);
        builder.Property(account => account.Status).StoredByName();
        builder.HasIndex(account => account.BankCode);
    }
}
