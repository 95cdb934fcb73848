using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Havale.Api.Storage;

/// <summary>How soon a transaction's commit must be on disk.</summary>
public enum CommitDurability
{
    /// <summary>On disk before the commit returns (fsync): the gateway's own state, always.</summary>
    Immediate,

    /// <summary>
    /// On disk with the next immediate commit, or within a fraction of a second. Only for the simulated banks, which
    /// stand in for another bank's own system: their record of a payment is written before the gateway's settlement
    /// of it, and PostgreSQL's WAL and SQLite's WAL file are each one sequence flushed in order, so a settlement that
    /// reached the disk took the bank's record with it. What a crash of the database can lose is only a record whose
    /// settlement was not written either: the bank "never received" that payment, and recovery voids its hold.
    /// </summary>
    Deferred,
}

/// <summary>
/// Connections for the hand-written hot path (group-commit batches), without EF Core's per-context connection and
/// transaction wrappers. PostgreSQL: the data source EF Core uses too, so both share one pool. SQLite: a few
/// connections kept open, each keeping its statements prepared between batches (Microsoft.Data.Sqlite prepares a
/// command's SQL once and reuses it while the command lives), since parsing SQL was a tenth of the SQLite path's CPU.
/// </summary>
public sealed class SqlSessions : IAsyncDisposable
{
    /// <summary>Open SQLite connections kept per durability; more callers than this open and close their own.</summary>
    private const int SqliteKeptMax = 8;

    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly ConcurrentBag<SqlSession>[] _idle = [[], []];
    private int _disposed;

    private SqlSessions(NpgsqlDataSource? postgres, string? sqlite)
    {
        Invariant.Holds((postgres is null) != (sqlite is null));
        _postgres = postgres;
        _sqlite = sqlite;
    }

    public static SqlSessions ForPostgres(NpgsqlDataSource dataSource) => new(dataSource, null);

    public static SqlSessions ForSqlite(string connectionString)
        => new(null, new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true }.ConnectionString);

    public SqlDialect Dialect => _postgres is not null ? SqlDialect.Postgres : SqlDialect.Sqlite;

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; nothing of it is written if it throws.</summary>
    public async Task<T> InTransactionAsync<T>(CommitDurability durability, Func<SqlSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var session = await RentAsync(durability, cancellationToken);
        var healthy = false;
        try
        {
            await using (var transaction = await session.Connection.BeginTransactionAsync(cancellationToken))
            {
                session.Transaction = transaction;
                if (durability == CommitDurability.Deferred && _postgres is not null)
                {
                    await new SqlStep(session).Add("SET LOCAL synchronous_commit TO OFF").RunAsync(cancellationToken);
                }
                var result = await work(session);
                try
                {
                    await transaction.CommitAsync(cancellationToken);
                }
                catch (Exception exception) when (CommitOutcomeUnknownException.IsUnanswered(exception))
                {
                    throw new CommitOutcomeUnknownException(exception);
                }
                healthy = true;
                return result;
            }
        }
        finally
        {
            session.Transaction = null;
            await ReturnAsync(session, durability, healthy);
        }
    }

    private async Task<SqlSession> RentAsync(CommitDurability durability, CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return new SqlSession(await _postgres.OpenConnectionAsync(cancellationToken), SqlDialect.Postgres);
        }
        if (_idle[(int)durability].TryTake(out var idle))
        {
            return idle;
        }
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken);
        await using (var pragma = connection.CreateCommand())
        {
            // As SqliteBusyTimeout does for EF Core's connections: wait inside SQLite's busy handler for the one writer.
            pragma.CommandText = $"PRAGMA busy_timeout = {SqliteBusyTimeout.BusyTimeoutMs};"
                + (durability == CommitDurability.Deferred ? "PRAGMA synchronous = NORMAL;" : "");
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return new SqlSession(connection, SqlDialect.Sqlite);
    }

    private async Task ReturnAsync(SqlSession session, CommitDurability durability, bool healthy)
    {
        var bag = _idle[(int)durability];
        // A session whose transaction failed is not kept: its connection may be broken, and a new one costs little.
        if (_postgres is null && healthy && Volatile.Read(ref _disposed) == 0 && bag.Count < SqliteKeptMax)
        {
            bag.Add(session);
            return;
        }
        await session.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        foreach (var bag in _idle)
        {
            while (bag.TryTake(out var session))
            {
                await session.DisposeAsync();
            }
        }
    }
}

/// <summary>One open connection, its transaction while one runs, and (on SQLite) its prepared commands.</summary>
public sealed class SqlSession(DbConnection connection, SqlDialect dialect) : IAsyncDisposable
{
    /// <summary>Distinct statement texts kept prepared per connection; the hot path has a few dozen.</summary>
    private const int PreparedCommandsMax = 256;

    private readonly Dictionary<string, DbCommand> _prepared = new(StringComparer.Ordinal);

    public DbConnection Connection { get; } = connection;
    public DbTransaction? Transaction { get; internal set; }
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>A command for <paramref name="sql"/> in the current transaction, the same object each time on SQLite.</summary>
    internal DbCommand Command(string sql, int parameterCount)
    {
        if (_prepared.TryGetValue(sql, out var command) && command.Parameters.Count == parameterCount)
        {
            command.Transaction = Transaction;
            return command;
        }
        command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        for (var i = 0; i < parameterCount; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + SqlStep.ParameterName(i);
            command.Parameters.Add(parameter);
        }
        if (_prepared.Count < PreparedCommandsMax)
        {
            _prepared[sql] = command;
        }
        return command;
    }

    internal bool IsKept(DbCommand command) => _prepared.TryGetValue(command.CommandText, out var kept) && ReferenceEquals(kept, command);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _prepared.Values)
        {
            await command.DisposeAsync();
        }
        _prepared.Clear();
        await Connection.DisposeAsync();
    }
}

/// <summary>
/// A commit the database never answered: the transaction may have committed or not, and only the database can tell
/// once it answers again. A caller must not run the work again as if nothing happened, nor tell its client that
/// nothing happened.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("the database did not answer the commit: the transaction may or may not have committed", inner)
{
    /// <summary>
    /// Whether a commit that threw <paramref name="exception"/> went unanswered: no answer from the server (the
    /// connection broke, a timeout), so the COMMIT may have reached it and committed. A PostgresException is the
    /// server's own answer, so that commit definitely failed; SQLite's commit happens in this process and is never unanswered.
    /// </summary>
    public static bool IsUnanswered(Exception exception) => exception is NpgsqlException and not PostgresException;
}
