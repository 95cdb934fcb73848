using System.Collections.Concurrent;
using System.Globalization;
using Havale.Api.Tests.Pol;
using Xunit.Abstractions;

namespace Havale.Api.Tests.Security;

/// <summary>A Pol gateway whose per-client rate a test can pass (the suite's default is a million calls a second).</summary>
public class TinyFloodGateway(TestDatabase database) : PolGateway(database, new Dictionary<string, string?>
{
    ["Havale:Floods:ClientRequestsPerSecond"] = TinyPaymentFloodTests.ClientRequestsPerSecond.ToString(CultureInfo.InvariantCulture),
});

public sealed class TinyFloodSqliteGateway() : TinyFloodGateway(TestDatabase.Sqlite);

public sealed class TinyFloodPostgresGateway() : TinyFloodGateway(TestDatabase.Postgres);

/// <summary>
/// OWASP API6:2023 (unrestricted access to sensitive business flows): a script that sends floods of 1-rial Pol
/// payments — to probe accounts, spam a beneficiary's statement or wear the rail down — meets two limits. The
/// Central Bank's count of Pol payments a day from one sender to one beneficiary (five) stops a flood at one
/// beneficiary whatever its pace; the per-client rate limit (429 with Retry-After) stops a flood spread over many.
/// Neither lets a refused payment move money, and the ledger balances after both.
/// </summary>
public abstract class TinyPaymentFloodTests(HavaleFactory gateway, ITestOutputHelper output)
{
    public const int ClientRequestsPerSecond = 20;
    private const long TinyRials = 1;
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task thirty_one_rial_payments_at_once_to_one_beneficiary_pay_five_and_refuse_the_rest_by_the_daily_count()
    {
        const int paymentsCount = 30;
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        // One at a time up to the rate, so that every refusal here is the day's count and none the rate limit.
        var answers = new List<Answer>();
        for (var payment = 0; payment < paymentsCount; payment++)
        {
            answers.Add(await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SamanIban, TinyRials)));
            await Task.Delay(1_000 / ClientRequestsPerSecond + 10);
        }

        Assert.Equal(5, answers.Count(answer => answer.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(answer => answer.Status == HttpStatusCode.OK), answer => answer.ShouldBePaid());
        Assert.All(answers.Where(answer => answer.Status != HttpStatusCode.OK), answer =>
        {
            answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Equal("daily Pol payments limitation to this destination exceeded", answer.ErrorMessage);
        });
        var after = await _kit.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, PolSeed.SamanIban, 5 * TinyRials);
    }

    [Fact]
    public async Task a_flood_of_one_rial_payments_to_many_beneficiaries_is_refused_429_past_the_clients_rate_and_moves_only_what_was_paid()
    {
        const int paymentsCount = 150;
        const int callersCount = 12;
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var answers = new ConcurrentBag<Answer>();
        var next = 0;

        await Task.WhenAll(Enumerable.Range(0, callersCount).Select(_ => Task.Run(async () =>
        {
            int payment;
            while ((payment = Interlocked.Increment(ref next)) <= paymentsCount)
            {
                var beneficiary = PolSeed.ActivePolIbans[payment % PolSeed.ActivePolIbans.Count];
                answers.Add(await PolKit.PayAsync(payer, PolSeed.ExampleBody(beneficiary, TinyRials)));
            }
        })));

        var paid = answers.Count(answer => answer.Status == HttpStatusCode.OK);
        var limited = answers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        output.WriteLine($"{paymentsCount} one-rial payments from {callersCount} callers: {paid} paid, {limited.Count} refused 429, "
                         + $"{answers.Count(answer => answer.Status == HttpStatusCode.BadRequest)} refused by the daily count");
        Assert.NotEmpty(limited);
        Assert.All(limited, answer =>
        {
            answer.ShouldFail(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
            Assert.True(int.TryParse(answer.Response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture, out var seconds) && seconds >= 1);
        });
        Assert.All(answers, answer => Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests or HttpStatusCode.BadRequest, answer.Raw));
        Assert.All(answers.Where(answer => answer.Status == HttpStatusCode.OK), answer => answer.ShouldBePaid());
        Assert.True(paid <= 5 * PolSeed.ActivePolIbans.Count, $"{paid} paid");
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(-paid * TinyRials, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }
}

public sealed class TinyPaymentFloodTests_on_sqlite(TinyFloodSqliteGateway gateway, ITestOutputHelper output)
    : TinyPaymentFloodTests(gateway, output), IClassFixture<TinyFloodSqliteGateway>;

public sealed class TinyPaymentFloodTests_on_postgres(TinyFloodPostgresGateway gateway, ITestOutputHelper output)
    : TinyPaymentFloodTests(gateway, output), IClassFixture<TinyFloodPostgresGateway>;
