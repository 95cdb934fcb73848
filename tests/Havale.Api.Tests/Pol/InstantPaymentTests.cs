namespace Havale.Api.Tests.Pol;

/// <summary>
/// instantPayment as the seed prints it, and what each behaviour of the destination bank does to the answer and to
/// the money: accepted, rejected, down, timing out and answering later, or refusing a blocked or dormant account.
/// </summary>
public abstract class InstantPaymentTests(PolGateway gateway)
{
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task the_seeds_example_body_with_a_valid_iban_pays_and_answers_every_field_of_the_seed()
    {
        var day = await _kit.StartDayAsync(hour: 9, minute: 55, second: 54);
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        const string TrackId = "jh238dfkjbh238sdfge";

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban).Json(), TrackId);

        answer.ShouldBePaid();
        var fields = answer.Body.EnumerateObject().Select(property => property.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[]
        {
            "amount", "description", "destinationFirstname", "destinationIban", "destinationLastname", "inquiryDate", "inquirySequence",
            "inquiryTime", "message", "originKey", "reasonDescription", "sourceNumber", "state", "status", "trackId",
        }, fields);
        Assert.Equal(10_000_000, answer.Body.GetProperty("amount").GetInt64());
        Assert.Equal("کتاب سلوک,جای خالی سلوچ,کلیدر", answer.Str("description"));
        Assert.Equal("19", answer.Str("reasonDescription"));
        Assert.Equal("محمود", answer.Str("destinationFirstname"));
        Assert.Equal("دولت آبادی", answer.Str("destinationLastname"));
        Assert.Equal(PolSeed.MellatIban, answer.Str("destinationIban"));
        Assert.Equal(PolKit.PolDate(day), answer.Str("inquiryDate"));
        Assert.Equal("095554", answer.Str("inquiryTime"));
        Assert.Matches("^[0-9]+$", answer.Str("inquirySequence"));
        Assert.Equal(" ", answer.Str("message"));
        Assert.Equal(PolSeed.SourceDeposit, answer.Str("sourceNumber"));
        Assert.Equal(20, answer.Str("originKey").Length);
        Assert.Equal(TrackId, answer.Str("trackId"));
        var after = await _kit.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, PolSeed.MellatIban, 10_000_000);
    }

    [Fact]
    public async Task persian_text_comes_back_as_written_not_as_unicode_escapes()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ShahrIban, 1_000));

        answer.ShouldBePaid();
        Assert.Contains("\"description\":\"کتاب سلوک,جای خالی سلوچ,کلیدر\"", answer.Raw, StringComparison.Ordinal);
        Assert.Contains("\"destinationLastname\":\"دولت آبادی\"", answer.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", answer.Raw, StringComparison.Ordinal);
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task the_seeds_example_as_printed_is_refused_since_its_iban_fails_the_check_digits()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SeedPrintedIban));

        answer.ShouldNameTheField("destinationNumber");
        Assert.Equal(before.Transfers.Count, (await _kit.SettledLedgerAsync()).Transfers.Count);
    }

    [Fact]
    public async Task every_payment_gets_its_own_origin_key_and_inquiry_sequence()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var first = (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ResalatIban, 2_000))).ShouldBePaid();
        var second = (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ResalatIban, 2_000))).ShouldBePaid();

        Assert.NotEqual(first.Str("originKey"), second.Str("originKey"));
        Assert.NotEqual(first.Str("inquirySequence"), second.Str("inquirySequence"));
        await _kit.SettledLedgerAsync();
    }

    [Theory]
    [InlineData("078", "reject", PolSeed.KhavarmianehIban, "destination bank rejected the payment")]
    [InlineData("017", "down", PolSeed.MelliIban, "destination bank is not available")]
    public async Task a_bank_that_rejects_or_is_down_gives_state_failed_with_the_reason_and_no_money_moves(string bankCode, string mode, string iban,
        string reason)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        await _kit.Sandbox.SetBankAsync(bankCode, mode);
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(iban, 3_000_000));
        await _kit.Sandbox.SetBankAsync(bankCode, "normal");

        answer.ShouldBeRefusedByTheBank(reason);
        Assert.Equal(20, answer.Str("originKey").Length);
        PolKit.ShouldHavePaid(before, await _kit.SettledLedgerAsync(), iban, 0);
    }

    /// <summary>
    /// The bank decides when the payment arrives (credit the account, or refuse the blocked one) but does not say so
    /// until it answers again: until then the money is held and inquiry says UNKNOWN.
    /// </summary>
    [Theory]
    [InlineData("019", PolSeed.SaderatIban, "DONE", 6_000_000)]
    [InlineData("016", PolSeed.KeshavarziBlockedIban, "FAILED", 0)]
    public async Task a_bank_that_does_not_answer_gives_408_with_the_money_held_and_inquiry_learns_the_outcome_once_it_answers(
        string bankCode, string iban, string finalState, long paidRials)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        await _kit.Sandbox.SetBankAsync(bankCode, "timeout");
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(iban, 6_000_000).Json(), trackId);
        var held = await _kit.BalancedLedgerAsync();
        var whileUnknown = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();
        await _kit.Sandbox.SetBankAsync(bankCode, "normal");
        var onceAnswered = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();

        answer.ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        Assert.Equal(trackId, answer.Str("trackId"));
        Assert.Contains(trackId, answer.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(6_000_000, held.PendingRials(PolSeed.SourceDeposit) - before.PendingRials(PolSeed.SourceDeposit));
        Assert.Equal(before.BalanceRials(PolSeed.SourceDeposit), held.BalanceRials(PolSeed.SourceDeposit));
        Assert.Single(held.OpenHolds);
        Assert.Equal("UNKNOWN", whileUnknown.Result.GetProperty("state").GetString());
        Assert.Equal(6_000_000, whileUnknown.Result.GetProperty("amountRials").GetInt64());
        Assert.Equal(408, whileUnknown.Result.GetProperty("httpStatus").GetInt32());
        Assert.Equal(finalState, onceAnswered.Result.GetProperty("state").GetString());
        Assert.Equal(whileUnknown.Result.GetProperty("originKey").GetString(), onceAnswered.Result.GetProperty("originKey").GetString());
        PolKit.ShouldHavePaid(before, await _kit.SettledLedgerAsync(), iban, paidRials);
    }

    [Fact]
    public async Task a_bank_slower_than_the_answer_timeout_gives_408_and_a_payment_it_never_received_is_voided()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();
        await _kit.Sandbox.SetBankAsync("069", "normal", latencyMs: 60_000);

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.IranZaminIban, 8_000).Json(), trackId);
        await _kit.Sandbox.SetBankAsync("069", "normal");
        var onceAsked = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();

        answer.ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        Assert.Equal("FAILED", onceAsked.Result.GetProperty("state").GetString());
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(before.BalanceRials(PolSeed.SourceDeposit), after.BalanceRials(PolSeed.SourceDeposit));
    }

    [Theory]
    [InlineData(PolSeed.KeshavarziBlockedIban, "destination account is blocked")]
    [InlineData(PolSeed.GardeshgariDormantIban, "destination account is dormant")]
    public async Task a_blocked_or_dormant_destination_gives_state_failed_and_moves_nothing(string iban, string reason)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(iban, 9_000));

        answer.ShouldBeRefusedByTheBank(reason);
        var after = await _kit.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, iban, 0);
    }
}

/// <summary>The bank-latency case waits for the gateway's answer timeout; a short one keeps the test quick.</summary>
public class ShortTimeoutPolGateway(TestDatabase database) : PolGateway(database, new Dictionary<string, string?>
{
    ["Havale:Rails:PolAnswerTimeoutMs"] = "1000",
});

public sealed class ShortTimeoutPolSqliteGateway() : ShortTimeoutPolGateway(TestDatabase.Sqlite);

public sealed class ShortTimeoutPolPostgresGateway() : ShortTimeoutPolGateway(TestDatabase.Postgres);

public sealed class InstantPaymentTests_on_sqlite(ShortTimeoutPolSqliteGateway gateway) : InstantPaymentTests(gateway), IClassFixture<ShortTimeoutPolSqliteGateway>;

public sealed class InstantPaymentTests_on_postgres(ShortTimeoutPolPostgresGateway gateway) : InstantPaymentTests(gateway), IClassFixture<ShortTimeoutPolPostgresGateway>;
