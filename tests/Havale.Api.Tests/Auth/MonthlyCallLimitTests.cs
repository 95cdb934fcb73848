using System.Globalization;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Auth;

/// <summary>
/// Finnotech's monthlyCallLimitation: the consent's <c>count</c> is the number of calls its tokens may make in one
/// Jalali month (Tehran); the call past it is 429 TOO_MANY_REQUESTS with Retry-After until the next month begins.
/// </summary>
public abstract class MonthlyCallLimitTests(HavaleFactory gateway)
{
    private readonly HttpClient _client = gateway.CreateJsonClient();

    private const string Inquiry = $"/oak/v2/clients/{Seed.DemoClient}/ibanInquiry?iban=IR370120000000003141592653";

    private async Task<JsonElement> CountedTokenAsync(object count)
    {
        var answer = await _client.PostTokenAsync("/sandbox/v1/tokens", Seed.DemoClient, Seed.DemoSecret, JsonSerializer.Serialize(new
        {
            grant_type = "authorization_code", nid = Seed.DemoNid, deposits = new[] { Seed.DemoDeposit }, scopes = Scopes.IbanInquiry,
            limit = 1_000_000, bank = "062", count,
        }));
        return answer.ShouldSucceed().Result;
    }

    private static void ShouldBeRefusedForTheMonth(Answer answer)
    {
        answer.ShouldFail(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.StartsWith(MonthlyCallLimitMiddleware.MonthlyCallLimitMessage, answer.ErrorMessage);
        Assert.True(long.TryParse(answer.Response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture, out var seconds)
                    && seconds >= 1 && seconds <= 32 * 24 * 3600, answer.Raw);
    }

    [Fact]
    public async Task a_token_granted_three_calls_a_month_makes_three_and_the_fourth_is_refused_with_429_and_retry_after()
    {
        var token = await CountedTokenAsync(3);
        Assert.Equal(3, token.GetProperty("monthlyCallLimitation").GetInt32());
        Assert.Equal(3, Tokens.Payload(token.Value()).GetProperty("monthlyCallLimitation").GetInt32());
        var caller = gateway.WithBearer(token.Value());

        for (var call = 0; call < 3; call++)
        {
            (await caller.GetEnvelopeAsync(Inquiry)).ShouldSucceed();
        }
        ShouldBeRefusedForTheMonth(await caller.GetEnvelopeAsync(Inquiry));
        // Refused calls are not counted: the count stays at the limit, and the next call is refused alike.
        ShouldBeRefusedForTheMonth(await caller.GetEnvelopeAsync(Inquiry));
        Assert.Equal(3, await CountedCallsAsync(token));
    }

    [Fact]
    public async Task of_forty_parallel_calls_against_a_limit_of_seven_exactly_seven_are_answered()
    {
        const int limit = 7;
        const int callsCount = 40;
        var token = await CountedTokenAsync(limit);
        var caller = gateway.WithBearer(token.Value());

        var answers = await Task.WhenAll(Enumerable.Range(0, callsCount).Select(_ => Task.Run(() => caller.GetEnvelopeAsync(Inquiry))));

        Assert.Equal(limit, answers.Count(answer => answer.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(answer => answer.Status != HttpStatusCode.OK), ShouldBeRefusedForTheMonth);
        Assert.Equal(limit, await CountedCallsAsync(token));
    }

    [Fact]
    public async Task a_refreshed_token_goes_on_counting_where_the_old_one_stopped()
    {
        var token = await CountedTokenAsync("2");
        (await gateway.WithBearer(token.Value()).GetEnvelopeAsync(Inquiry)).ShouldSucceed();

        var refreshed = (await _client.PostTokenAsync("/dev/v2/oauth2/token", Seed.DemoClient, Seed.DemoSecret, JsonSerializer.Serialize(new
        {
            grant_type = "refresh_token", token_type = "CODE", refresh_token = token.GetProperty("refreshToken").GetString(), bank = "062",
        }))).ShouldSucceed().Result;

        Assert.Equal(2, refreshed.GetProperty("monthlyCallLimitation").GetInt32());
        var caller = gateway.WithBearer(refreshed.Value());
        (await caller.GetEnvelopeAsync(Inquiry)).ShouldSucceed();
        ShouldBeRefusedForTheMonth(await caller.GetEnvelopeAsync(Inquiry));
    }

    [Fact]
    public async Task the_count_starts_again_when_the_next_jalali_month_begins_in_tehran()
    {
        var sandbox = new SandboxDriver(gateway);
        var now = gateway.Services.GetRequiredService<Havale.Api.Platform.HavaleClock>().GetUtcNow();
        // A month boundary well after anything the other tests of this gateway did: the sandbox clock only moves forward.
        var (year, month) = Jalali.YearMonth(now.AddDays(400));
        var monthStartUtc = Jalali.StartOfMonth(year, month);
        await sandbox.MoveClockToAsync(monthStartUtc.AddMinutes(-2));
        var token = await CountedTokenAsync(1);
        var caller = gateway.WithBearer(token.Value());
        (await caller.GetEnvelopeAsync(Inquiry)).ShouldSucceed();
        var refused = await caller.GetEnvelopeAsync(Inquiry);
        ShouldBeRefusedForTheMonth(refused);
        Assert.Equal("120", refused.Response.Headers.GetValues("Retry-After").Single());

        await sandbox.MoveClockToAsync(monthStartUtc);

        (await caller.GetEnvelopeAsync(Inquiry)).ShouldSucceed();
        ShouldBeRefusedForTheMonth(await caller.GetEnvelopeAsync(Inquiry));
    }

    [Fact]
    public async Task a_token_without_a_count_has_no_monthly_limit_and_no_counter()
    {
        var token = await _client.SandboxCodeAsync(Scopes.IbanInquiry);
        Assert.Equal(JsonValueKind.Null, token.GetProperty("monthlyCallLimitation").ValueKind);
        Assert.False(Tokens.Payload(token.Value()).TryGetProperty("monthlyCallLimitation", out _));
        var caller = gateway.WithBearer(token.Value());
        for (var call = 0; call < 5; call++)
        {
            (await caller.GetEnvelopeAsync(Inquiry)).ShouldSucceed();
        }
    }

    [Theory]
    [InlineData(AuthLimits.MonthlyCallsMax)]
    [InlineData(1)]
    public async Task a_count_from_one_to_the_maximum_is_granted(int count)
        => Assert.Equal(count, (await CountedTokenAsync(count)).GetProperty("monthlyCallLimitation").GetInt32());

    [Theory]
    [InlineData(AuthLimits.MonthlyCallsMax + 1L)]
    [InlineData(0L)]
    [InlineData(-1L)]
    public async Task a_count_outside_one_to_the_maximum_is_refused_naming_the_field(long count)
    {
        var answer = await _client.PostTokenAsync("/sandbox/v1/tokens", Seed.DemoClient, Seed.DemoSecret, JsonSerializer.Serialize(new
        {
            grant_type = "authorization_code", nid = Seed.DemoNid, deposits = new[] { Seed.DemoDeposit }, scopes = Scopes.IbanInquiry,
            limit = 1_000_000, bank = "062", count,
        }));
        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.StartsWith("count:", answer.ErrorMessage);
    }

    [Fact]
    public async Task the_months_before_the_previous_one_are_pruned_in_batches_and_this_and_last_months_counts_stay()
    {
        var now = gateway.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var current = JalaliMonth.Of(now);
        var kept = new[] { current.Key, current.Previous.Key };
        var old = new[] { current.Previous.Previous.Key, current.Previous.Previous.Previous.Previous.Key };
        var factory = gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>();
        var run = Guid.NewGuid().ToString("N")[..8];
        // More old rows than one batch holds, so that the pass has to go round more than once.
        const int OldRowsCount = MonthlyCallPruning.RowsPerBatchMax * 2 + 500;
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Set<TokenCallMonth>().AddRange(Enumerable.Range(0, OldRowsCount).Select(i => Row(run, i, old[i % old.Length])));
            db.Set<TokenCallMonth>().AddRange(kept.Select((month, i) => Row(run, OldRowsCount + i, month)));
            await db.SaveChangesAsync();
        }

        var pruned = await MonthlyCallPruning.PrunePassAsync(factory, now, CancellationToken.None);

        await using var after = await factory.CreateDbContextAsync();
        var left = await after.Set<TokenCallMonth>().Where(row => row.GrantId.StartsWith(run)).Select(row => row.JalaliMonth).ToListAsync();
        Assert.Equal(kept.Order(), left.Order());
        // More than one batch's worth, so the pass went round again. (Not exactly all: the gateway's own pass runs at its
        // start, and a start that overlaps this test could take some first.)
        Assert.InRange(pruned, MonthlyCallPruning.RowsPerBatchMax + 1, OldRowsCount);
        Assert.Equal(0, await after.Set<TokenCallMonth>().CountAsync(row => row.JalaliMonth < current.Previous.Key));
    }

    private static TokenCallMonth Row(string run, int i, int month)
        => new() { GrantId = run + i.ToString("D24", CultureInfo.InvariantCulture), JalaliMonth = month, Calls = 1 };

    /// <summary>What the database counted for the token's consent this month (the test reads the row; the gateway never does).</summary>
    private async Task<int> CountedCallsAsync(JsonElement token)
    {
        var grantId = Tokens.Payload(token.Value()).GetProperty(FinnotechClaims.GrantId).GetString();
        var month = JalaliMonth.Of(gateway.Services.GetRequiredService<TimeProvider>().GetUtcNow()).Key;
        await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        return await db.Set<TokenCallMonth>().Where(row => row.GrantId == grantId && row.JalaliMonth == month).Select(row => row.Calls).SingleAsync();
    }
}

public sealed class MonthlyCallLimitTests_on_sqlite(SqliteGateway gateway) : MonthlyCallLimitTests(gateway), IClassFixture<SqliteGateway>;

public sealed class MonthlyCallLimitTests_on_postgres(PostgresGateway gateway) : MonthlyCallLimitTests(gateway), IClassFixture<PostgresGateway>;
