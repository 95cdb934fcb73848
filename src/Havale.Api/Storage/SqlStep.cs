using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Havale.Api.Storage;

/// <summary>
/// The two SQL dialects of the hand-written hot path. Everything else goes through EF Core; these few statements are
/// written out because they run for every payment, and EF Core's change tracker and savepoints cost round trips there.
/// </summary>
public sealed class SqlDialect
{
    private static readonly DateTimeOffsetToBinaryConverter SqliteInstant = new();

    private SqlDialect(bool isPostgres) => IsPostgres = isPostgres;

    public static SqlDialect Postgres { get; } = new(isPostgres: true);

    public static SqlDialect Sqlite { get; } = new(isPostgres: false);

    public static SqlDialect Of(HavaleDb db) => db.Database.IsNpgsql() ? Postgres : Sqlite;

    public bool IsPostgres { get; }

    /// <summary>
    /// Row locks for a read that is followed by an UPDATE in the same transaction. NO KEY UPDATE, the lock an UPDATE
    /// of non-key columns takes anyway, so foreign-key checks of concurrent inserts (KEY SHARE) do not wait on it.
    /// SQLite's one writer holds the whole database from BEGIN IMMEDIATE, so it needs none.
    /// </summary>
    public string LockRows => IsPostgres ? " FOR NO KEY UPDATE" : "";

    /// <summary>
    /// "column is one of the values in parameter @name": an array on PostgreSQL, cast to the column's own type so its
    /// index serves (a text array against a character(n) key would not use it); a JSON array on SQLite.
    /// </summary>
    public string InList(string column, string parameter, string postgresArrayType = "bigint[]")
        => IsPostgres ? $"{column} = ANY(CAST(@{parameter} AS {postgresArrayType}))" : $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    public object ListValue(IReadOnlyCollection<long> values)
        => IsPostgres ? values.ToArray() : "[" + string.Join(',', values) + "]";

    public object ListValue(IReadOnlyCollection<string> values)
        => IsPostgres ? values.ToArray() : System.Text.Json.JsonSerializer.Serialize(values);

    /// <summary>An instant as EF Core stores it: timestamptz on PostgreSQL, a sortable binary number on SQLite (see SqliteHavaleDb).</summary>
    public object Instant(DateTimeOffset value)
        => IsPostgres ? value.ToUniversalTime() : SqliteInstant.ConvertToProvider(value.ToUniversalTime())!;

    public object Bool(bool value) => IsPostgres ? value : value ? 1L : 0L;

    /// <summary>
    /// PostgreSQL's rows from parallel arrays, one parameter an array and a column (@p0 of the first type, @p1 of the
    /// second…): how a batch writes many rows in one statement, parsed and planned once for the batch.
    /// </summary>
    public static string Unnest(params string[] postgresTypes)
        => "unnest(" + string.Join(", ", postgresTypes.Select((type, i) => $"CAST(@{SqlStep.ParameterName(i)} AS {type}[])")) + ")";

    /// <summary>Column <paramref name="index"/> of rows of values, as the typed array an <see cref="Unnest"/> parameter takes.</summary>
    public static T[] Column<T>(IReadOnlyList<object?[]> rows, int index)
    {
        var column = new T[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            column[i] = (T)rows[i][index]!;
        }
        return column;
    }
}

/// <summary>
/// The statements of one step of a transaction, sent together: one round trip on PostgreSQL (an NpgsqlBatch), one
/// after another in process on SQLite. Placeholders are @p0, @p1… in the order of the values given. Statements whose
/// rows matter pass a row reader; they must return rows (SELECT or RETURNING), the others must not.
/// </summary>
public sealed class SqlStep(DbConnection connection, DbTransaction? transaction)
{
    private readonly List<Statement> _statements = [];
    private readonly SqlSession? _session;

    /// <summary>A step in a session's transaction: on SQLite its statements stay prepared for the next batch.</summary>
    public SqlStep(SqlSession session) : this(session.Connection, session.Transaction) => _session = session;

    public int Count => _statements.Count;

    public SqlStep Add(string sql, params object?[] values) => Add(sql, null, values);

    public SqlStep Add(string sql, Action<DbDataReader>? readRow, params object?[] values)
    {
        _statements.Add(new Statement(sql, values, readRow));
        return this;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_statements.Count == 0)
        {
            return;
        }
        if (connection is NpgsqlConnection npgsql)
        {
            await RunBatchAsync(npgsql, cancellationToken);
        }
        else
        {
            await RunEachAsync(cancellationToken);
        }
        _statements.Clear();
    }

    private async Task RunBatchAsync(NpgsqlConnection npgsql, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(npgsql, (NpgsqlTransaction?)transaction);
        foreach (var statement in _statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            for (var i = 0; i < statement.Values.Length; i++)
            {
                command.Parameters.Add(new NpgsqlParameter(ParameterName(i), statement.Values[i] ?? DBNull.Value));
            }
            batch.BatchCommands.Add(command);
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // Npgsql gives a result set only to statements that return rows, in order; the others are skipped over.
        var first = true;
        foreach (var statement in _statements.Where(statement => statement.ReadRow is not null))
        {
            if (!first)
            {
                Invariant.Holds(await reader.NextResultAsync(cancellationToken));
            }
            first = false;
            while (await reader.ReadAsync(cancellationToken))
            {
                statement.ReadRow!(reader);
            }
        }
        while (await reader.NextResultAsync(cancellationToken))
        {
            Invariant.Holds(!reader.HasRows);
        }
    }

    private async Task RunEachAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in _statements)
        {
            var command = _session?.Command(statement.Sql, statement.Values.Length) ?? NewCommand(statement);
            try
            {
                for (var i = 0; i < statement.Values.Length; i++)
                {
                    command.Parameters[i].Value = statement.Values[i] ?? DBNull.Value;
                }
                if (statement.ReadRow is null)
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    continue;
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    statement.ReadRow(reader);
                }
            }
            finally
            {
                if (_session is null || !_session.IsKept(command))
                {
                    await command.DisposeAsync();
                }
            }
        }
    }

    private DbCommand NewCommand(Statement statement)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = statement.Sql;
        for (var i = 0; i < statement.Values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + ParameterName(i);
            command.Parameters.Add(parameter);
        }
        return command;
    }

    internal static string ParameterName(int index) => "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Statement(string Sql, object?[] Values, Action<DbDataReader>? ReadRow);
}

/// <summary>What a hand-written transaction may do when the database aborts it.</summary>
public static class SqlTransactions
{
    /// <summary>
    /// Errors after which the same transaction, run again, may well succeed: PostgreSQL's deadlock and serialization
    /// failures (it picked this transaction to abort) and SQLite's busy database. Nothing of the aborted try was written.
    /// </summary>
    public static bool IsRetryable(Exception exception) => exception switch
    {
        // The work may be on disk already: running it again is not "the same transaction once".
        CommitOutcomeUnknownException => false,
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        _ => exception.InnerException is { } inner && IsRetryable(inner),
    };
}
