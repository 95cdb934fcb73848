using System.Text;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Havale.Api.Storage;

/// <summary>
/// Havale's database. One model, two providers: each provider has its own subclass only so that each keeps its own
/// migrations (SQL differs between SQLite and PostgreSQL); features depend on this base type alone. Storage knows no
/// slice: each slice describes its tables in its own <c>IEntityTypeConfiguration</c>s, which the model applies from
/// this assembly, and names them on this type with extension properties (<c>Ledger/LedgerTables.cs</c> and the like).
/// </summary>
public abstract class HavaleDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring every node shares (Auth/AuthSetup.cs): cookies issued by one node open on another.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Work that must commit together with whatever this context commits (see <see cref="ICommitHook"/>); null when
    /// there is none. The call log uses it to mark a write's work committed, and to store the write's answer, in the
    /// write's own transaction. Whoever sets it clears it before the context goes back to the pool.
    /// </summary>
    public ICommitHook? CommitHook { get; set; }

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
