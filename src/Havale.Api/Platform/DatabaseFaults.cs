using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Havale.Api.Platform;

/// <summary>
/// Whether an exception means the database could not be reached or did not answer in time, as opposed to a bug.
/// Such a failure is the caller's to retry (with the same trackId, which is always safe), so it is answered 503
/// SERVICE_UNAVAILABLE, never 500. The exception is looked for anywhere in the chain: EF Core and the group committer
/// wrap the driver's.
/// </summary>
public static class DatabaseFaults
{
    /// <summary>SQLite's own "not now": BUSY, LOCKED, IOERR, CANTOPEN, FULL.</summary>
    private static readonly HashSet<int> SqliteUnavailableCodes = [5, 6, 10, 13, 14];

    /// <summary>PostgreSQL's SQLSTATEs for "not now": connection exceptions (class 08), shutdown and start-up, too many connections.</summary>
    private static bool IsUnavailableState(string sqlState)
        => sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400";

    /// <summary>
    /// PostgreSQL refusing text a caller sent (a NUL, SQLSTATE 22021, or text it cannot convert, 22P05): the caller's
    /// input, so a 400, for any field that reaches a query without a rule of its own against it.
    /// </summary>
    public static bool IsUntranslatableText(Exception exception)
    {
        var depth = 0;
        for (Exception? current = exception; current is not null && depth < 16; current = current.InnerException, depth++)
        {
            if (current is PostgresException { SqlState: "22021" or "22P05" })
            {
                return true;
            }
        }
        return false;
    }

    public static bool IsUnavailable(Exception exception)
    {
        // Bounded: an exception chain is short, but a cycle must not hang the error handler.
        var depth = 0;
        for (Exception? current = exception; current is not null && depth < 16; current = current.InnerException, depth++)
        {
            switch (current)
            {
                case CommitOutcomeUnknownException:
                    return true;
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                    return true;
                case SqliteException sqlite when SqliteUnavailableCodes.Contains(sqlite.SqliteErrorCode):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }
        return false;
    }
}
