namespace Havale.Api.Tests.Ledger;

/// <summary>The sandbox's ledger, clock and bank-behaviour routes through the real pipeline, with HTTP Basic.</summary>
public abstract class SandboxLedgerEndpointTests(QuietRailsGateway gateway)
{
    private readonly SandboxDriver _sandbox = new(gateway);

    [Fact]
    public async Task the_sandbox_routes_need_a_registered_clients_basic_credentials()
    {
        var anonymous = gateway.CreateJsonClient();
        var wrongSecret = gateway.CreateJsonClient();
        wrongSecret.DefaultRequestHeaders.Authorization = SandboxDriver.BasicCredentials(SandboxDriver.ClientId, "not-the-secret");
        var unknownClient = gateway.CreateJsonClient();
        unknownClient.DefaultRequestHeaders.Authorization = SandboxDriver.BasicCredentials("nobody", SandboxDriver.ClientSecret);

        foreach (var client in new[] { anonymous, wrongSecret, unknownClient })
        {
            var answer = (await client.GetEnvelopeAsync("/sandbox/v1/ledger")).ShouldFail(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.StartsWith("Basic", answer.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            (await client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", """{"now": "2099-01-01T00:00:00+03:30"}"""))
                .ShouldFail(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
    }

    [Fact]
    public async Task the_ledger_shows_every_account_with_its_kind_and_sums_to_zero()
    {
        var ledger = await _sandbox.LedgerAsync();

        var deposit = SandboxDriver.AccountIn(ledger, "0302876732315");
        Assert.Equal("deposit", deposit.GetProperty("kind").GetString());
        Assert.True(deposit.GetProperty("balanceRials").GetInt64() >= 0);
        Assert.True(deposit.GetProperty("pendingRials").GetInt64() >= 0);
        Assert.Equal("genesis", SandboxDriver.AccountIn(ledger, "genesis").GetProperty("kind").GetString());
        Assert.True(SandboxDriver.AccountIn(ledger, "genesis").GetProperty("balanceRials").GetInt64() < 0);
        Assert.Equal("clearing", SandboxDriver.AccountIn(ledger, "clearing:pol").GetProperty("kind").GetString());
        Assert.Equal("clearing", SandboxDriver.AccountIn(ledger, "clearing:paya").GetProperty("kind").GetString());
        Assert.Equal("bank", SandboxDriver.AccountIn(ledger, "bank:012").GetProperty("kind").GetString());
        Assert.DoesNotContain(ledger.GetProperty("accounts").EnumerateArray(), account => account.GetProperty("account").GetString() == "bank:062");
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    [Fact]
    public async Task the_seed_deposits_open_with_their_seeded_balances()
    {
        var audit = await LedgerAudit.ReadAsync(gateway.Services);

        // Only the opening transfer from genesis touches these two in this class, so their balances are the seed's.
        Assert.Equal(20_000_000_000, audit.BalanceRials("0201648361007"));
        Assert.Equal(0, audit.BalanceRials("0999999999999"));
    }

    [Fact]
    public async Task the_clock_moves_forward_stands_still_and_refuses_to_go_back()
    {
        var day = _sandbox.NextFreeDayTehran();
        var later = SandboxDriver.Tehran(day, 12, 0, 0);

        await _sandbox.MoveClockToAsync(later);
        var read = (await _sandbox.Client.GetEnvelopeAsync("/sandbox/v1/clock")).ShouldSucceed();
        var back = await _sandbox.SetClockAsync($$"""{"now": "{{day:yyyy-MM-dd}}T11:59:59+03:30"}""");
        var same = await _sandbox.SetClockAsync($$"""{"now": "{{day:yyyy-MM-dd}}T12:00:00+03:30"}""");

        Assert.True(read.Result.GetProperty("isFrozen").GetBoolean());
        Assert.Equal($"{day:yyyy-MM-dd}T12:00:00+03:30", read.Result.GetProperty("tehran").GetString());
        Assert.Equal(later, DateTimeOffset.Parse(read.Result.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        back.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith("now:", back.ErrorMessage, StringComparison.Ordinal);
        same.ShouldSucceed();
    }

    [Theory]
    [InlineData("""{}""", "now")]
    [InlineData("""{"now": ""}""", "now")]
    [InlineData("""{"now": "2099-01-01T10:00:00"}""", "now")]
    [InlineData("""{"now": "2099-01-01 10:00:00+03:30"}""", "now")]
    [InlineData("""{"now": "tomorrow"}""", "now")]
    [InlineData("""{"now": 4102444800}""", "now")]
    public async Task a_clock_setting_that_is_not_an_instant_with_an_offset_is_refused_naming_now(string json, string field)
    {
        var answer = (await _sandbox.SetClockAsync(json)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.StartsWith(field + ":", answer.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_clock_body_that_is_not_json_is_refused()
        => (await _sandbox.SetClockAsync("""{"now": """)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

    [Fact]
    public async Task a_bank_behaviour_is_set_and_answered_back()
    {
        var answer = (await _sandbox.SetBehaviourAsync("019", """{"mode": "TIMEOUT", "latencyMs": 60000}""")).ShouldSucceed();
        await _sandbox.SetBankAsync("019", "normal");

        Assert.Equal("019", answer.Result.GetProperty("bankCode").GetString());
        Assert.Equal("timeout", answer.Result.GetProperty("mode").GetString());
        Assert.Equal(60_000, answer.Result.GetProperty("latencyMs").GetInt32());
    }

    [Theory]
    [InlineData("999", """{"mode": "normal"}""", "bankCode")]
    [InlineData("062", """{"mode": "normal"}""", "bankCode")]
    [InlineData("12", """{"mode": "normal"}""", "bankCode")]
    [InlineData("012", """{"mode": "sleepy"}""", "mode")]
    [InlineData("012", """{"mode": "1"}""", "mode")]
    [InlineData("012", """{}""", "mode")]
    [InlineData("012", """{"mode": "normal", "latencyMs": -1}""", "latencyMs")]
    [InlineData("012", """{"mode": "normal", "latencyMs": 60001}""", "latencyMs")]
    [InlineData("012", """{"mode": "normal", "latencyMs": "soon"}""", "latencyMs")]
    public async Task a_bad_bank_behaviour_is_refused_naming_the_field(string bankCode, string json, string field)
    {
        var answer = (await _sandbox.SetBehaviourAsync(bankCode, json)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        Assert.StartsWith(field + ":", answer.ErrorMessage, StringComparison.Ordinal);
    }
}

public sealed class SandboxLedgerEndpointTests_on_sqlite(QuietRailsSqliteGateway gateway)
    : SandboxLedgerEndpointTests(gateway), IClassFixture<QuietRailsSqliteGateway>;

public sealed class SandboxLedgerEndpointTests_on_postgres(QuietRailsPostgresGateway gateway)
    : SandboxLedgerEndpointTests(gateway), IClassFixture<QuietRailsPostgresGateway>;
