using Npgsql;

/// <summary>
/// A throwaway store for one benchmark run, and how to delete it afterwards: a SQLite file in a fresh temporary folder,
/// or a fresh database on the PostgreSQL server that <c>HAVALE_TEST_POSTGRES</c> names (each bench's run script starts
/// one). Compiled into each benchmark from here, so they all measure on stores made the same way.
/// </summary>
internal static class BenchStores
{
    public static (string ConnectionString, Action CleanUp) CreateSqliteFile(string folderPrefix)
    {
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        return ($"Data Source={Path.Combine(folder, "havale.db")}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        });
    }

    /// <param name="namePrefix">The database's name before a random part, so a leftover one says which bench made it.</param>
    /// <param name="runScript">The script that starts a throwaway server, named when the variable is missing.</param>
    /// <param name="poolSizeMax">Npgsql's pool size, when the bench runs more workers than its default allows.</param>
    public static (string ConnectionString, Action CleanUp) CreatePostgresDatabase(string namePrefix, string runScript, int? poolSizeMax = null)
    {
        var server = Environment.GetEnvironmentVariable("HAVALE_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"HAVALE_TEST_POSTGRES is not set: {runScript} starts a throwaway PostgreSQL.");
        var name = namePrefix + Guid.NewGuid().ToString("N")[..12];
        Execute(server, $"CREATE DATABASE {name}");
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        if (poolSizeMax is { } size)
        {
            builder.MaxPoolSize = size;
        }
        return (builder.ConnectionString, () =>
        {
            NpgsqlConnection.ClearAllPools();
            Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    private static void Execute(string server, string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
