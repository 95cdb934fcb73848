using System.Net.Http.Headers;
using Havale.Api.Platform;
using Havale.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Havale.Api.Tests.Infrastructure;

public enum TestDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real gateway in process, on its own fresh database: a temporary SQLite file, or a new PostgreSQL database
/// on the server named by HAVALE_TEST_POSTGRES (./test.sh starts one). Each factory is one isolated gateway.
/// </summary>
public class HavaleFactory : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "HAVALE_TEST_POSTGRES";

    private readonly string _workFolder = Directory.CreateTempSubdirectory("havale-test-").FullName;
    private readonly string? _postgresDatabase;

    public HavaleFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Database = database;
        Settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        // One test class mints many tokens in a minute; the rate-limit tests set the real bound explicitly.
        Settings.TryAdd("Havale:Auth:TokenRequestsPerMinute", "100000");
        Settings.TryAdd("Havale:Auth:LoginAttemptsPerMinute", "100000");
        // Likewise the flood limits: the suite's concurrency tests are one client; FloodTests set real bounds.
        Settings.TryAdd("Havale:Floods:ClientRequestsPerSecond", "1000000");
        Settings.TryAdd("Havale:Floods:TokenConcurrentCallsMax", "100000");
        if (database == TestDatabase.Postgres)
        {
            _postgresDatabase = "havale_test_" + Guid.NewGuid().ToString("N")[..16];
            ConnectionString = CreatePostgresDatabase(_postgresDatabase);
        }
        else
        {
            ConnectionString = $"Data Source={Path.Combine(_workFolder, "havale.db")}";
        }
    }

    /// <summary>
    /// A second gateway node on another gateway's database (PostgreSQL only): its own process state (writers, caches,
    /// clock), the same tables. The database is the first node's to drop.
    /// </summary>
    protected HavaleFactory(HavaleFactory firstNode)
    {
        Invariant.Holds(firstNode.Database == TestDatabase.Postgres);
        Database = firstNode.Database;
        ConnectionString = firstNode.ConnectionString;
        Settings = new Dictionary<string, string?>(firstNode.Settings);
    }

    public TestDatabase Database { get; }
    public string ConnectionString { get; }
    public Dictionary<string, string?> Settings { get; }
    public string WorkFolder => _workFolder;

    /// <summary>This gateway's node name on the database (a test may set Havale:Node:Id in Settings instead).</summary>
    public string NodeId { get; } = "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The gateway's one clock; tests move it forward (an expired token is one 11 days old).</summary>
    public TestClock Clock { get; } = new();

    private Task<string>? _probeToken;

    /// <summary>A client with a demo client-credential token carrying the probe routes' scopes, minted once per gateway.</summary>
    public async Task<HttpClient> CreateProbeClientAsync()
    {
        _probeToken ??= CreateJsonClient().ClientCredentialAsync(Tokens.ProbeScopes).ContinueWith(task => task.Result.Value(), TaskScheduler.Default);
        return this.WithBearer(await _probeToken);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", Database == TestDatabase.Postgres ? "postgres" : "sqlite");
        builder.UseSetting("ConnectionStrings:Havale", ConnectionString);
        // Each in-process gateway is its own node, also when two share one database (SecondNode).
        builder.UseSetting("Havale:Node:Id", NodeId);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IEndpointModule, ProbeEndpoints>();
            // One clock, as in the gateway: what the sandbox clock route moves is what tokens, rails and Jalali dates read.
            services.AddSingleton<HavaleClock>(Clock);
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public HttpClient CreateJsonClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static string PostgresServer()
        => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run ./test.sh, which starts a throwaway PostgreSQL, or point it at one.");

    private static string CreatePostgresDatabase(string name)
    {
        using var connection = new NpgsqlConnection(PostgresServer());
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(PostgresServer()) { Database = name }.ConnectionString;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(PostgresServer());
            connection.Open();
            using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabase} WITH (FORCE)", connection);
            command.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_workFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pool is cleaned up with the temp folder later; not worth failing a test over.
        }
    }
}

/// <summary>Real time until a test moves it: Havale's clock (Tehran zone) plus an offset.</summary>
public sealed class TestClock : HavaleClock
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

public sealed class SqliteGateway() : HavaleFactory(TestDatabase.Sqlite);

public sealed class PostgresGateway() : HavaleFactory(TestDatabase.Postgres);
