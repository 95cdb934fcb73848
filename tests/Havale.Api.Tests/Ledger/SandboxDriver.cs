using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Havale.Api.Platform;
using Microsoft.AspNetCore.Hosting;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// A gateway whose background resolver stays out of the way, so that only the test decides when holds resolve.
/// </summary>
public class QuietRailsGateway(TestDatabase database) : HavaleFactory(database, new Dictionary<string, string?>
{
    ["Havale:Rails:ResolveIntervalSeconds"] = "3600",
})
{
}

public sealed class QuietRailsSqliteGateway() : QuietRailsGateway(TestDatabase.Sqlite);

public sealed class QuietRailsPostgresGateway() : QuietRailsGateway(TestDatabase.Postgres);

/// <summary>The sandbox routes as a developer calls them: over HTTP with the seeded client's Basic credentials.</summary>
public sealed class SandboxDriver
{
    public const string ClientId = "havale-demo";
    public const string ClientSecret = "havale-demo-secret";
    public static readonly TimeSpan TehranOffset = new(3, 30, 0);

    private readonly HavaleFactory _gateway;

    public SandboxDriver(HavaleFactory gateway)
    {
        _gateway = gateway;
        Client = gateway.CreateJsonClient();
        Client.DefaultRequestHeaders.Authorization = BasicCredentials(ClientId, ClientSecret);
    }

    public HttpClient Client { get; }

    public static AuthenticationHeaderValue BasicCredentials(string clientId, string secret)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));

    /// <summary>
    /// The Tehran date after the gateway's clock. Tests that share a gateway each take a day of their own, since
    /// the sandbox clock only moves forward.
    /// </summary>
    public DateOnly NextFreeDayTehran()
    {
        var now = Havale.Domain.TehranTime.ToTehran(_gateway.Services.GetRequiredService<HavaleClock>().GetUtcNow());
        return DateOnly.FromDateTime(now.DateTime).AddDays(1);
    }

    public static DateTimeOffset Tehran(DateOnly day, int hour, int minute, int second, int millisecond = 0)
        => new(day.Year, day.Month, day.Day, hour, minute, second, millisecond, TehranOffset);

    public Task<Answer> SetClockAsync(string json) => Client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", json);

    public async Task MoveClockToAsync(DateTimeOffset now)
    {
        var text = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
        (await SetClockAsync($$"""{"now": "{{text}}"}""")).ShouldSucceed();
    }

    public Task<Answer> SetBehaviourAsync(string bankCode, string json)
        => Client.CallAsync(HttpMethod.Put, $"/sandbox/v1/banks/{bankCode}/behaviour", json);

    public async Task SetBankAsync(string bankCode, string mode, int latencyMs = 0)
        => (await SetBehaviourAsync(bankCode, $$"""{"mode": "{{mode}}", "latencyMs": {{latencyMs}}}""")).ShouldSucceed();

    public async Task<JsonElement> LedgerAsync()
    {
        var answer = (await Client.GetEnvelopeAsync("/sandbox/v1/ledger")).ShouldSucceed();
        Assert.Equal(0, answer.Result.GetProperty("sumRials").GetInt64());
        return answer.Result;
    }

    public static JsonElement AccountIn(JsonElement ledger, string code)
        => ledger.GetProperty("accounts").EnumerateArray().Single(account => account.GetProperty("account").GetString() == code);
}
