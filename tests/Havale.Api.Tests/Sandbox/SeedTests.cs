using Havale.Api.Accounts;
using Havale.Api.Sandbox;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Sandbox;

/// <summary>The shipped seed loads at start, loading again changes nothing, and the database is what the seed says.</summary>
public abstract class SeedTests(HavaleFactory gateway)
{
    [Fact]
    public async Task the_shipped_seed_is_loaded_at_start()
    {
        gateway.CreateClient();
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        var seed = SeedLoader.Read(Path.Combine(AppContext.BaseDirectory, "sandbox.json"));

        Assert.Equal(seed.Customers.Count, await db.Customers.CountAsync());
        Assert.Equal(seed.Clients.Count, await db.Clients.CountAsync());
        Assert.Equal(seed.Deposits.Count, await db.Deposits.CountAsync());
        Assert.Equal(seed.ExternalAccounts.Count, await db.ExternalAccounts.CountAsync());
        var corporate = await db.Deposits.Include(deposit => deposit.Members).SingleAsync(deposit => deposit.Number == "0201648361007");
        Assert.Equal(2, corporate.RequiredSignatures);
        Assert.Equal(3, corporate.Members.Count(member => member.IsSignatory));
        Assert.Single(corporate.Members, member => member.IsOwner);
    }

    [Fact]
    public async Task loading_the_seed_twice_adds_nothing_the_second_time()
    {
        gateway.CreateClient();
        var seed = SeedLoader.Read(Path.Combine(AppContext.BaseDirectory, "sandbox.json"));
        var loader = gateway.Services.GetRequiredService<SeedLoader>();

        var report = await loader.LoadAsync(seed, CancellationToken.None);

        Assert.Equal(new SeedLoadReport(), report);
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        Assert.Equal(seed.Customers.Count, await db.Customers.CountAsync());
        Assert.Equal(seed.Deposits.Sum(d => d.Owners.Union(d.Signatories).Count()), await db.DepositMembers.CountAsync());
    }

    [Fact]
    public async Task secrets_and_passwords_are_stored_hashed()
    {
        gateway.CreateClient();
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        var client = await db.Clients.SingleAsync(c => c.ClientId == "havale-demo");
        Assert.DoesNotContain("havale-demo-secret", client.SecretHash);
        var customer = await db.Customers.SingleAsync(c => c.Nid == "0012345679");
        Assert.DoesNotContain("0012345679", customer.PasswordHash);
    }

    [Fact]
    public async Task health_reports_the_database_in_use()
    {
        var answer = (await gateway.CreateJsonClient().GetEnvelopeAsync("/health")).ShouldSucceed();
        Assert.Equal(gateway.Database == TestDatabase.Postgres ? "postgres" : "sqlite", answer.Result.GetProperty("database").GetString());
        Assert.Equal("healthy", answer.Result.GetProperty("status").GetString());
    }
}

public sealed class SeedTests_on_sqlite(SqliteGateway gateway) : SeedTests(gateway), IClassFixture<SqliteGateway>;

public sealed class SeedTests_on_postgres(PostgresGateway gateway) : SeedTests(gateway), IClassFixture<PostgresGateway>;

/// <summary>Production mode: no seed, no sandbox routes; the operator's registry file, when configured, and nothing else.</summary>
public sealed class ProductionModeTests
{
    [Fact]
    public async Task production_mode_loads_no_seed_and_has_no_sandbox_routes()
    {
        using var gateway = new HavaleFactory(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Havale:Sandbox:Enabled"] = "false" });
        var client = gateway.CreateJsonClient();

        (await client.GetEnvelopeAsync("/sandbox/v1/ledger")).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        (await client.GetEnvelopeAsync("/health")).ShouldSucceed();
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        Assert.Equal(0, await db.Customers.CountAsync());
        Assert.Equal(0, await db.Clients.CountAsync());
    }

    [Fact]
    public async Task production_mode_serves_the_clients_of_the_example_registry_and_still_has_no_sandbox_routes()
    {
        const string secret = "a-secret-made-at-install-time";
        var registry = Path.Combine(Directory.CreateTempSubdirectory("havale-registry-").FullName, "registry.json");
        File.WriteAllText(registry, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "registry.example.json"))
            .Replace("CLIENT-SECRET-MADE-AT-INSTALL", secret, StringComparison.Ordinal));
        using var gateway = new HavaleFactory(TestDatabase.Sqlite, new Dictionary<string, string?>
        {
            ["Havale:Sandbox:Enabled"] = "false",
            ["Havale:Registry:File"] = registry,
        });
        var client = gateway.CreateJsonClient();

        var token = await client.ClientCredentialAsync("oak:iban-inquiry:get,boomrang:tokens:get", "acme-psp", secret, "0012345679");
        var tokens = (await gateway.WithBearer(token.Value()).GetEnvelopeAsync("/dev/v2/clients/acme-psp/tokens")).ShouldSucceed();

        Assert.Equal(JsonValueKind.Array, tokens.Result.ValueKind);
        (await client.GetEnvelopeAsync("/sandbox/v1/ledger")).ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        await using var scope = gateway.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HavaleDb>();
        Assert.Equal(1, await db.Clients.CountAsync());
        Assert.Equal(1, await db.Deposits.CountAsync());
    }

    [Fact]
    public void an_invalid_seed_file_stops_start_up_with_the_entry_named()
    {
        var folder = Directory.CreateTempSubdirectory("havale-seed-").FullName;
        var seedPath = Path.Combine(folder, "bad.json");
        File.WriteAllText(seedPath, """
            {"customers": [{"nid": "0012345670", "firstName": "مریم", "lastName": "احمدی"}]}
            """);
        using var gateway = new HavaleFactory(TestDatabase.Sqlite, new Dictionary<string, string?> { ["Havale:Sandbox:SeedFile"] = seedPath });

        var failure = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        var seedFailure = Assert.IsType<SeedException>(failure.GetBaseException() as SeedException ?? FindSeedException(failure));
        Assert.Contains("customers[0].nid '0012345670'", seedFailure.Message);
    }

    private static SeedException? FindSeedException(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SeedException seed)
            {
                return seed;
            }
        }
        return null;
    }
}
