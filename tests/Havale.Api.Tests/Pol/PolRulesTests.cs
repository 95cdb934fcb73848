using System.Globalization;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// A gateway with the operator's Pol settings changed: a day on which Pol reopens at 05:30, and a daily amount cap
/// low enough that a test reaches it in a few payments.
/// </summary>
public class ConfiguredPolGateway(TestDatabase database) : PolGateway(database, new Dictionary<string, string?>
{
    [$"Havale:Rails:PolReopensAtOn:{LateDayText}"] = "05:30",
    ["Havale:Pol:DailyAmountRialsMax"] = DailyAmountRialsMax.ToString(CultureInfo.InvariantCulture),
})
{
    public const long DailyAmountRialsMax = 3_000_000;

    /// <summary>A day far enough ahead that no test's clock has passed it before the test that uses it.</summary>
    public static readonly DateOnly LateDayTehran = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(400);

    private static string LateDayText => LateDayTehran.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class ConfiguredPolSqliteGateway() : ConfiguredPolGateway(TestDatabase.Sqlite);

public sealed class ConfiguredPolPostgresGateway() : ConfiguredPolGateway(TestDatabase.Postgres);

/// <summary>Pol's hours at their edges with the sandbox clock, the balance rule and the Central Bank's daily caps.</summary>
public abstract class PolRulesTests(ConfiguredPolGateway gateway)
{
    private const long CapRials = ConfiguredPolGateway.DailyAmountRialsMax;
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task pol_is_closed_at_04_29_59_tehran_and_moves_no_money_then_pays_at_04_30_00()
    {
        var day = await _kit.StartDayAsync(hour: 4, minute: 29, second: 59);
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var closed = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 70_000));
        var afterClosed = await _kit.SettledLedgerAsync();
        await _kit.MoveClockToAsync(day, 4, 30, 0);
        var open = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 70_000));

        closed.ShouldFail(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        Assert.Contains("04:30", closed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before.Transfers.Count, afterClosed.Transfers.Count);
        Assert.Equal(before.BalanceRials(PolSeed.SourceDeposit), afterClosed.BalanceRials(PolSeed.SourceDeposit));
        Assert.Equal("043000", open.ShouldBePaid().Str("inquiryTime"));
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(-70_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task pol_is_closed_from_midnight_and_a_payment_refused_then_takes_nothing_from_the_days_allowance()
    {
        var day = await _kit.StartDayAsync(hour: 0, minute: 0, second: 0);
        var payer = await _kit.PayerAsync();

        var closed = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: CapRials));
        await _kit.MoveClockToAsync(day, 4, 30, 0);
        var wholeCap = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: CapRials));

        closed.ShouldFail(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        wholeCap.ShouldBePaid();
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task on_a_configured_late_day_pol_stays_closed_until_05_30_and_says_so()
    {
        var day = ConfiguredPolGateway.LateDayTehran;
        await _kit.MoveClockToAsync(day, 4, 30, 0);
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var atUsualTime = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 80_000));
        await _kit.MoveClockToAsync(day, 5, 29, 59);
        var justBefore = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 80_000));
        var afterClosed = await _kit.SettledLedgerAsync();
        await _kit.MoveClockToAsync(day, 5, 30, 0);
        var open = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 80_000));

        foreach (var closed in new[] { atUsualTime, justBefore })
        {
            closed.ShouldFail(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
            Assert.Contains("05:30", closed.ErrorMessage, StringComparison.Ordinal);
        }
        Assert.Equal(before.Transfers.Count, afterClosed.Transfers.Count);
        Assert.Equal(PolKit.PolDate(day), open.ShouldBePaid().Str("inquiryDate"));
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(-80_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task a_payment_larger_than_the_available_balance_is_refused_and_moves_nothing()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync(nid: PolSeed.EmptyNid, deposit: PolSeed.EmptyDeposit);
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 1));

        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Contains("insufficient balance", answer.ErrorMessage, StringComparison.Ordinal);
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(0, after.BalanceRials(PolSeed.EmptyDeposit));
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    [Fact]
    public async Task the_daily_amount_cap_pays_up_to_the_cap_exactly_and_refuses_one_rial_more()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var first = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban, CapRials - 1_000_000));
        var overByOne = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ShahrIban, 1_000_001));
        var toTheCap = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ShahrIban, 1_000_000));
        var oneMore = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ResalatIban, 1));

        first.ShouldBePaid();
        toTheCap.ShouldBePaid();
        foreach (var refused in new[] { overByOne, oneMore })
        {
            refused.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
            Assert.Equal("daily Pol amount limitation exceeded for this customer", refused.ErrorMessage);
        }
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(-CapRials, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task the_daily_amount_cap_starts_again_on_the_next_tehran_day()
    {
        var day = await _kit.StartDayAsync(hour: 23, minute: 59, second: 0);
        var payer = await _kit.PayerAsync();

        var late = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: CapRials));
        var refused = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: 1));
        await _kit.MoveClockToAsync(day.AddDays(1), 4, 30, 0);
        var nextDay = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: CapRials));

        late.ShouldBePaid();
        refused.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        nextDay.ShouldBePaid();
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task the_sixth_payment_of_a_day_to_one_beneficiary_is_refused_while_another_beneficiary_is_still_paid()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var five = new List<Answer>();
        for (var payment = 0; payment < 5; payment++)
        {
            five.Add(await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SamanIban, 1_000)));
        }
        var sixth = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SamanIban, 1_000));
        var elsewhere = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MelliIban, 1_000));

        Assert.All(five, answer => answer.ShouldBePaid());
        sixth.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("daily Pol payments limitation to this destination exceeded", sixth.ErrorMessage);
        elsewhere.ShouldBePaid();
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(5_000, PolKit.BankRials(after, PolSeed.SamanIban) - PolKit.BankRials(before, PolSeed.SamanIban));
    }

    [Fact]
    public async Task payments_the_bank_refused_give_their_amount_and_their_count_back_to_the_day()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        await _kit.Sandbox.SetBankAsync("057", "reject");
        var before = await _kit.SettledLedgerAsync();

        var refusedByTheBank = new List<Answer>();
        for (var payment = 0; payment < 5; payment++)
        {
            refusedByTheBank.Add(await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.PasargadIban, CapRials)));
        }
        await _kit.Sandbox.SetBankAsync("057", "normal");
        var paid = new List<Answer>();
        for (var payment = 0; payment < 5; payment++)
        {
            paid.Add(await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.PasargadIban, CapRials / 5)));
        }

        Assert.All(refusedByTheBank, answer => answer.ShouldBeRefusedByTheBank("destination bank rejected the payment"));
        Assert.All(paid, answer => answer.ShouldBePaid());
        var after = await _kit.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, PolSeed.PasargadIban, CapRials);
    }

    [Fact]
    public async Task payments_refused_for_balance_give_their_allowance_back_to_the_day()
    {
        await _kit.StartDayAsync();
        var empty = await _kit.PayerAsync(nid: PolSeed.EmptyNid, deposit: PolSeed.EmptyDeposit);

        var answers = new List<Answer>();
        for (var payment = 0; payment < 6; payment++)
        {
            answers.Add(await PolKit.PayAsync(empty, PolSeed.ExampleBody(PolSeed.SepahIban, CapRials)));
        }

        // Six refusals for balance, never one for the caps: had the first kept its reservation, the second would hit the cap.
        Assert.All(answers, answer => Assert.Contains("insufficient balance",
            answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR").ErrorMessage, StringComparison.Ordinal));
        await _kit.SettledLedgerAsync();
    }
}

public sealed class PolRulesTests_on_sqlite(ConfiguredPolSqliteGateway gateway) : PolRulesTests(gateway), IClassFixture<ConfiguredPolSqliteGateway>;

public sealed class PolRulesTests_on_postgres(ConfiguredPolPostgresGateway gateway) : PolRulesTests(gateway), IClassFixture<ConfiguredPolPostgresGateway>;
