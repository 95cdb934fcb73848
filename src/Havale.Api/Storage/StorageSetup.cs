using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Design;

namespace Havale.Api.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class StorageSetup
{
    public const string ConnectionStringName = "Havale";
    public const string DefaultSqliteConnectionString = "Data Source=data/havale.db";

    public static DatabaseProvider ReadProvider(IConfiguration configuration)
    {
        var name = configuration["Database:Provider"];
        return name?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Database:Provider '{name}' is not known; use 'sqlite' or 'postgres'."),
        };
    }

    public static IServiceCollection AddHavaleStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ReadProvider(configuration);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = string.IsNullOrWhiteSpace(connectionString) ? DefaultSqliteConnectionString : connectionString;
                services.AddPooledDbContextFactory<SqliteHavaleDb>(options => options.UseSqlite(sqlite).AddInterceptors(SqliteBusyTimeout.Instance, CommitHooks.Instance));
                services.AddSingleton<IDbContextFactory<HavaleDb>, ProviderFactory<SqliteHavaleDb>>();
                services.AddSingleton(_ => SqlSessions.ForSqlite(sqlite));
                break;
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is postgres but ConnectionStrings:Havale is empty; give an Npgsql connection string.");
                }
                // Two data sources, two pools. EF Core's contexts use the first, without auto-prepare: a pooled context
                // keeps its NpgsqlConnection, whose one recycled NpgsqlCommand carries its statements' prepared state
                // from one use to the next, and after an outage under load such leftovers answered 500 from inside
                // Npgsql (a NullReferenceException, "Received backend message BindComplete while expecting
                // ParseCompleteMessage") on the next call that met them. The hot path's raw sessions (SqlSessions:
                // the Pol writer, the simulated banks) use the second, with auto-prepare: they build a new NpgsqlBatch
                // every time, nothing is recycled, and planning their set-based statements again each batch would
                // cost PostgreSQL's CPU. Maximum Pool Size bounds the first; the second holds HotPathConnectionsMax.
                services.AddSingleton(_ => new Npgsql.NpgsqlDataSourceBuilder(WithGatewaySettings(connectionString, isHotPath: false)).Build());
                services.AddSingleton(_ => new HotPathDataSource(
                    new Npgsql.NpgsqlDataSourceBuilder(WithGatewaySettings(connectionString, isHotPath: true)).Build()));
                services.AddSingleton(provider => SqlSessions.ForPostgres(provider.GetRequiredService<HotPathDataSource>().DataSource));
                services.AddSingleton(provider => new DurabilityBarrier(provider.GetRequiredService<HotPathDataSource>().DataSource));
                services.AddPooledDbContextFactory<PostgresHavaleDb>((provider, options)
                    => options.UseNpgsql(provider.GetRequiredService<Npgsql.NpgsqlDataSource>()).AddInterceptors(CommitHooks.Instance));
                services.AddSingleton<IDbContextFactory<HavaleDb>, ProviderFactory<PostgresHavaleDb>>();
                break;
        }
        services.AddSingleton(new StorageInfo(provider));
        // Handlers take a HavaleDb for the request; background work asks the factory for its own.
        services.AddScoped(serviceProvider => serviceProvider.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContext());
        return services;
    }

    /// <summary>Connections the hot path's raw sessions may hold at once: a few batches in flight per writer, and recovery's asks.</summary>
    public const int HotPathConnectionsMax = 16;

    /// <summary>
    /// On the hot path, statements run often are prepared once per connection and then only bound and executed; EF
    /// Core's are not (see <see cref="AddHavaleStorage"/> for why). Timeouts short enough that an outage is answered.
    /// An operator's own settings win, except that EF Core's data source never auto-prepares.
    /// </summary>
    internal static string WithGatewaySettings(string connectionString, bool isHotPath)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!isHotPath)
        {
            builder.MaxAutoPrepare = 0;
        }
        else
        {
            if (builder.MaxAutoPrepare == 0)
            {
                builder.MaxAutoPrepare = 100;
                builder.AutoPrepareMinUsages = 2;
            }
            builder.MaxPoolSize = HotPathConnectionsMax;
            builder.MinPoolSize = 0;
        }
        // Havale sets no session state (no SET, LISTEN or temporary tables), so a pooled connection need not be reset
        // each time a context returns it: that reset is several statements on every checkout.
        builder.NoResetOnClose = true;
        // A database that is away must be an answer (503), not a caller held for Npgsql's defaults (15 s to connect,
        // 30 s a command). A stopped server refuses the connection at once, whatever the timeout; the connect timeout
        // bounds a silent network. 1 s was tried and refused real calls: on this 2-CPU machine under load PostgreSQL
        // took over a second to start a backend. CommandTimeoutSeconds leaves room for the largest set-based step (a
        // Paya cycle's batch). An operator's own settings win.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!new[] { "Timeout", "Connect Timeout", "Connection Timeout" }.Any(given.ContainsKey))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }
        if (!new[] { "Command Timeout", "CommandTimeout" }.Any(given.ContainsKey))
        {
            builder.CommandTimeout = CommandTimeoutSeconds;
        }
        return builder.ConnectionString;
    }

    /// <summary>How long opening a PostgreSQL connection may take before the call is answered 503.</summary>
    public const int ConnectTimeoutSeconds = 3;

    /// <summary>How long one PostgreSQL statement may run; migrations at start are given <see cref="MigrationTimeoutSeconds"/>.</summary>
    public const int CommandTimeoutSeconds = 10;

    public const int MigrationTimeoutSeconds = 300;

    /// <summary>Creates the SQLite folder if needed and brings the schema up to date. Runs once at start.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && dataSource != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }
        }
        // The context is pooled and keeps its timeout when it goes back: the long one is for the migration alone.
        db.Database.SetCommandTimeout(MigrationTimeoutSeconds);
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(null);
        }
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets readers proceed while one writer commits; it is a property of the file and persists.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    private sealed class ProviderFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<HavaleDb>
        where TContext : HavaleDb
    {
        public HavaleDb CreateDbContext() => inner.CreateDbContext();
    }
}

public sealed record StorageInfo(DatabaseProvider Provider);

/// <summary>Lets `dotnet ef migrations add X --context SqliteHavaleDb` build the model without starting the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHavaleDb>
{
    public SqliteHavaleDb CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteHavaleDb>().UseSqlite(StorageSetup.DefaultSqliteConnectionString).Options);
}

/// <summary>Design-time only; the connection string is never opened when adding a migration.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHavaleDb>
{
    public PostgresHavaleDb CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresHavaleDb>().UseNpgsql("Host=127.0.0.1;Database=havale_design").Options);
}

/// <summary>
/// SQLite has one writer at a time. A second writer (the Pol writer and the simulated bank commit side by side) is
/// made to wait inside SQLite's own busy handler, which retries within a millisecond or so, instead of getting
/// SQLITE_BUSY back and being retried by Microsoft.Data.Sqlite after a sleep far longer than a commit takes.
/// </summary>
public sealed class SqliteBusyTimeout : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public const int BusyTimeoutMs = 10_000;

    public static SqliteBusyTimeout Instance { get; } = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
        => Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection,
        Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(System.Data.Common.DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs};";
        command.ExecuteNonQuery();
    }
}

/// <summary>The node's PostgreSQL connection pools, both of them.</summary>
public static class ConnectionPools
{
    /// <summary>
    /// Drops every idle pooled connection (and each busy one when it is returned). Called when the database was found
    /// away: the connections an outage reset look idle and healthy in the pool, and would each fail one call after the
    /// database is back. Nothing on SQLite, whose file cannot go away like a server.
    /// </summary>
    public static void ClearAfterFault(IServiceProvider services)
    {
        services.GetService<Npgsql.NpgsqlDataSource>()?.Clear();
        services.GetService<HotPathDataSource>()?.DataSource.Clear();
    }
}

/// <summary>The hot path's own PostgreSQL data source (auto-prepared statements, its own small pool), apart from EF Core's.</summary>
public sealed record HotPathDataSource(Npgsql.NpgsqlDataSource DataSource) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}

/// <summary>What a <see cref="HavaleDb"/>'s commits carry with them (<see cref="HavaleDb.CommitHook"/>).</summary>
public interface ICommitHook
{
    /// <summary>Inside the transaction, just before its commit: what is written here commits with it or not at all.</summary>
    Task BeforeCommitAsync(System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The commit returned: what <see cref="BeforeCommitAsync"/> wrote is durable.</summary>
    void Committed();

    /// <summary>The commit threw: the transaction may have committed or not (see <see cref="CommitOutcomeUnknownException"/>).</summary>
    void CommitFailed(Exception exception);
}

/// <summary>Runs a context's <see cref="HavaleDb.CommitHook"/> around each commit of its transactions.</summary>
public sealed class CommitHooks : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
{
    public static CommitHooks Instance { get; } = new();

    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> TransactionCommittingAsync(
        System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is HavaleDb { CommitHook: { } hook })
        {
            await hook.BeforeCommitAsync(transaction, cancellationToken);
        }
        return result;
    }

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction,
        Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is HavaleDb { CommitHook: { } hook })
        {
            hook.Committed();
        }
        return Task.CompletedTask;
    }

    public override Task TransactionFailedAsync(System.Data.Common.DbTransaction transaction,
        Microsoft.EntityFrameworkCore.Diagnostics.TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Action == "Commit" && eventData.Context is HavaleDb { CommitHook: { } hook })
        {
            hook.CommitFailed(eventData.Exception);
        }
        return Task.CompletedTask;
    }

    public override Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult TransactionCommitting(System.Data.Common.DbTransaction transaction,
        Microsoft.EntityFrameworkCore.Diagnostics.TransactionEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result)
    {
        // Havale commits asynchronously; a synchronous commit with a hook would have to block on it.
        Havale.Domain.Invariant.Holds(eventData.Context is not HavaleDb { CommitHook: not null });
        return result;
    }
}
