using System.Globalization;
using System.Text.Json.Nodes;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// A gateway whose seed gives the otherwise empty deposit exactly enough for 40 payments, with the per-beneficiary cap
/// raised out of the way, so that only the balance decides who pays.
/// </summary>
public class FortyPaymentsGateway(TestDatabase database) : PolGateway(database, new Dictionary<string, string?>
{
    ["Havale:Sandbox:SeedFile"] = WriteSeed(),
    ["Havale:Pol:DailyPaymentsToOneBeneficiaryMax"] = "1000",
    ["Havale:Pol:DailyAmountRialsMax"] = "1000000000",
})
{
    public const long AmountRials = 1_000_000;
    public const int PaymentsAffordable = 40;

    private static string WriteSeed()
    {
        var seed = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sandbox.json")))!.AsObject();
        var deposit = seed["deposits"]!.AsArray().Single(node => node!["number"]!.GetValue<string>() == PolSeed.EmptyDeposit)!;
        deposit["balanceRials"] = AmountRials * PaymentsAffordable;
        var path = Path.Combine(Directory.CreateTempSubdirectory("havale-pol-seed-").FullName, "sandbox.json");
        File.WriteAllText(path, seed.ToJsonString());
        return path;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // Disposal can come twice (DisposeAsync ends in Dispose, and the test runner may call Dispose as well).
        if (disposing && Settings["Havale:Sandbox:SeedFile"] is { } path && Path.GetDirectoryName(path) is { } folder && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class FortyPaymentsSqliteGateway() : FortyPaymentsGateway(TestDatabase.Sqlite);

public sealed class FortyPaymentsPostgresGateway() : FortyPaymentsGateway(TestDatabase.Postgres);

/// <summary>Many payments at the same moment: the balance and the trackId rule stay exact on both stores.</summary>
public abstract class PolConcurrencyTests(FortyPaymentsGateway gateway)
{
    private const long AmountRials = FortyPaymentsGateway.AmountRials;
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task a_hundred_payments_at_once_from_a_deposit_that_can_afford_forty_pay_exactly_forty()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync(nid: PolSeed.EmptyNid, deposit: PolSeed.EmptyDeposit);
        var before = await _kit.SettledLedgerAsync();
        Assert.Equal(AmountRials * FortyPaymentsGateway.PaymentsAffordable, before.BalanceRials(PolSeed.EmptyDeposit));
        using var start = new SemaphoreSlim(0);

        var calls = Enumerable.Range(0, 100).Select(async index =>
        {
            await start.WaitAsync();
            var body = PolSeed.ExampleBody(PolSeed.ActivePolIbans[index % PolSeed.ActivePolIbans.Count], AmountRials);
            return await PolKit.PayAsync(payer, body, $"hundred-{index.ToString(CultureInfo.InvariantCulture)}");
        }).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        var paid = answers.Where(answer => answer.Status == HttpStatusCode.OK).ToList();
        var refused = answers.Where(answer => answer.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(40, paid.Count);
        Assert.All(paid, answer => answer.ShouldBePaid());
        Assert.Equal(60, refused.Count);
        Assert.All(refused, answer => Assert.Equal("insufficient balance in the source deposit",
            answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR").ErrorMessage));
        Assert.Equal(40, paid.Select(answer => answer.Str("originKey")).Distinct().Count());
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(0, after.BalanceRials(PolSeed.EmptyDeposit));
        var paidToBanks = PolSeed.ActivePolIbans.Select(iban => iban[4..7]).Distinct()
            .Sum(bank => PolKit.RialsAtBank(after, bank) - PolKit.RialsAtBank(before, bank));
        Assert.Equal(40 * AmountRials, paidToBanks);
    }

    [Fact]
    public async Task fifty_identical_requests_with_one_trackId_at_once_make_one_payment_and_get_fifty_identical_answers()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.MellatIban, 2_000_000).Json();
        using var start = new SemaphoreSlim(0);

        var calls = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.WaitAsync();
            return await PolKit.PayAsync(payer, body, trackId);
        }).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        answers[0].ShouldBePaid();
        Assert.All(answers, answer => Assert.Equal(answers[0].Raw, answer.Raw));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId));
        Assert.Equal(-2_000_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }
}

public sealed class PolConcurrencyTests_on_sqlite(FortyPaymentsSqliteGateway gateway)
    : PolConcurrencyTests(gateway), IClassFixture<FortyPaymentsSqliteGateway>;

public sealed class PolConcurrencyTests_on_postgres(FortyPaymentsPostgresGateway gateway)
    : PolConcurrencyTests(gateway), IClassFixture<FortyPaymentsPostgresGateway>;
