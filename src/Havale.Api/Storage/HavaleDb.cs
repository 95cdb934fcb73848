using System.Text;
using Havale.Api.Accounts;
using Havale.Api.Auth;
using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Havale.Api.Rails;
using Havale.Api.Sandbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Havale.Api.Storage;

/// <summary>
/// Havale's database. One model, two providers: each provider has its own subclass only so that each keeps its own
/// migrations (SQL differs between SQLite and PostgreSQL); features depend on this base type alone.
/// </summary>
public abstract class HavaleDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring every node shares (Auth/AuthSetup.cs): cookies issued by one node open on another.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiClient> Clients => Set<ApiClient>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Deposit> Deposits => Set<Deposit>();
    public DbSet<DepositMember> DepositMembers => Set<DepositMember>();
    public DbSet<ExternalAccount> ExternalAccounts => Set<ExternalAccount>();
    public DbSet<CallRecord> CallRecords => Set<CallRecord>();
    public DbSet<LedgerAccount> LedgerAccounts => Set<LedgerAccount>();
    public DbSet<LedgerTransfer> LedgerTransfers => Set<LedgerTransfer>();
    public DbSet<SimulatedBankBehaviour> SimulatedBankBehaviours => Set<SimulatedBankBehaviour>();
    public DbSet<SimulatedBankPayment> SimulatedBankPayments => Set<SimulatedBankPayment>();
    public DbSet<SandboxSetting> SandboxSettings => Set<SandboxSetting>();
    public DbSet<TokenKey> TokenKeys => Set<TokenKey>();
    public DbSet<Features.InstantPayment.PolSenderDay> PolSenderDays => Set<Features.InstantPayment.PolSenderDay>();
    public DbSet<Features.InstantPayment.PolBeneficiaryDay> PolBeneficiaryDays => Set<Features.InstantPayment.PolBeneficiaryDay>();
    public DbSet<Features.PaymentOrders.PaymentOrder> PaymentOrders => Set<Features.PaymentOrders.PaymentOrder>();
    public DbSet<Features.PaymentOrders.OrderDestination> OrderDestinations => Set<Features.PaymentOrders.OrderDestination>();
    public DbSet<Features.PaymentOrders.OrderCeremony> OrderCeremonies => Set<Features.PaymentOrders.OrderCeremony>();
    public DbSet<Features.PaymentOrders.OrderSignature> OrderSignatures => Set<Features.PaymentOrders.OrderSignature>();
    public DbSet<Features.PaymentOrders.OrderHistoryEntry> OrderHistory => Set<Features.PaymentOrders.OrderHistoryEntry>();
    public DbSet<Features.Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Features.Webhooks.WebhookEndpoint>();
    public DbSet<Features.Webhooks.WebhookEvent> WebhookEvents => Set<Features.Webhooks.WebhookEvent>();
    public DbSet<Features.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Features.Webhooks.WebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HavaleDb).Assembly);
        // The authorization server's applications, authorizations, scopes and tokens live beside Havale's own tables.
        modelBuilder.UseOpenIddict();
        UseSnakeCaseNames(modelBuilder);
    }

    /// <summary>
    /// Tables and columns in snake_case, so hand-written SQL (balance updates, CHECKs, psql sessions) reads
    /// naturally on PostgreSQL, where quoted CamelCase identifiers are a trap.
    /// </summary>
    private static void UseSnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && table.StartsWith(OpenIddictTablePrefix, StringComparison.Ordinal))
            {
                entity.SetTableName("openiddict_" + ToSnakeCase(table[OpenIddictTablePrefix.Length..]));
            }
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName("pk_" + entity.GetTableName() + (key.IsPrimaryKey() ? "" : "_" + string.Join("_", key.Properties.Select(p => ToSnakeCase(p.Name)))));
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName("fk_" + entity.GetTableName() + "_" + string.Join("_", foreignKey.Properties.Select(p => ToSnakeCase(p.Name))));
            }
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName((index.IsUnique ? "ux_" : "ix_") + entity.GetTableName() + "_" + string.Join("_", index.Properties.Select(p => ToSnakeCase(p.Name))));
            }
        }
    }

    private const string OpenIddictTablePrefix = "OpenIddict";

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var character = name[i];
            if (char.IsUpper(character))
            {
                var startsWord = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
                if (startsWord)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(character));
            }
            else
            {
                builder.Append(character);
            }
        }
        return builder.ToString();
    }
}

public sealed class SqliteHavaleDb(DbContextOptions<SqliteHavaleDb> options) : HavaleDb(options)
{
    /// <summary>
    /// SQLite has no instant type and EF Core cannot compare DateTimeOffset text there; stored as a sortable number
    /// (ticks and offset), instants can be compared in SQL ("holds due before now") like on PostgreSQL.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresHavaleDb(DbContextOptions<PostgresHavaleDb> options) : HavaleDb(options);
