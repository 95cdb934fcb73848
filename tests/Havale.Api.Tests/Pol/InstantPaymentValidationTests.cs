using System.Text;
using System.Text.Json.Nodes;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// instantPayment's input rules and documented refusals, through the real pipeline with real tokens: each bad field
/// gets a 400 naming it, each value at its bound passes and pays, and a refused call moves no money.
/// </summary>
public abstract class InstantPaymentValidationTests(PolGateway gateway)
{
    private readonly PolKit _kit = new(gateway);

    /// <summary>Persian text of exactly the given number of characters (each one UTF-16 unit and two UTF-8 bytes).</summary>
    private static string PersianChars(int count) => string.Concat(Enumerable.Repeat("کلیدر", count / 5 + 1))[..count];

    public static TheoryData<string, string, string> InvalidFields()
    {
        var cases = new TheoryData<string, string, string>();
        void Add(string field, string why, Action<JsonObject> change)
        {
            var body = PolSeed.ExampleBody();
            change(body);
            cases.Add(field, why, body.Json());
        }
        Add("amount", "missing", body => body.Remove("amount"));
        Add("amount", "zero", body => body["amount"] = 0);
        Add("amount", "negative", body => body["amount"] = -1);
        Add("amount", "a fraction", body => body["amount"] = JsonNode.Parse("1000.5"));
        Add("amount", "past the largest amount", body => body["amount"] = JsonNode.Parse("1000000000000000001"));
        Add("amount", "words instead of digits", body => body["amount"] = "ده میلیون");
        Add("description", "31 Persian characters", body => body["description"] = PersianChars(31));
        Add("reasonDescription", "0", body => body["reasonDescription"] = "0");
        Add("reasonDescription", "20", body => body["reasonDescription"] = "20");
        Add("reasonDescription", "letters", body => body["reasonDescription"] = "abc");
        Add("reasonDescription", "missing", body => body.Remove("reasonDescription"));
        Add("destinationFirstname", "1 character", body => body["destinationFirstname"] = "م");
        Add("destinationFirstname", "31 characters", body => body["destinationFirstname"] = PersianChars(31));
        Add("destinationFirstname", "missing", body => body.Remove("destinationFirstname"));
        Add("destinationLastname", "1 character", body => body["destinationLastname"] = "د");
        Add("destinationLastname", "31 characters", body => body["destinationLastname"] = PersianChars(31));
        Add("destinationNumber", "missing", body => body.Remove("destinationNumber"));
        Add("destinationNumber", "the seed's example as printed, failing mod-97", body => body["destinationNumber"] = PolSeed.SeedPrintedIban);
        Add("destinationNumber", "25 characters", body => body["destinationNumber"] = "IR91080000500011542643200");
        Add("destinationNumber", "27 characters", body => body["destinationNumber"] = "IR9108000050001154264320012");
        Add("destinationNumber", "a letter in the account", body => body["destinationNumber"] = "IR21062000000030287673231A");
        Add("destinationNumber", "a German IBAN", body => body["destinationNumber"] = "DE89370400440532013000");
        Add("destinationNumber", "a deposit number instead of an IBAN", body => body["destinationNumber"] = PolSeed.SourceDeposit);
        return cases;
    }

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task a_body_with_one_bad_field_is_refused_with_a_message_naming_that_field(string field, string why, string body)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();

        var answer = await PolKit.PayAsync(payer, body, trackId);

        answer.ShouldNameTheField(field);
        Assert.True(answer.Str("trackId") == trackId, why);
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(before.Transfers.Count, after.Transfers.Count);
    }

    public static TheoryData<string, string> ValuesAtTheirBounds()
    {
        var cases = new TheoryData<string, string>();
        void Add(string why, Action<JsonObject> change)
        {
            var body = PolSeed.ExampleBody(amountRials: 1_000);
            change(body);
            cases.Add(why, body.Json());
        }
        Add("no description at all", body => body.Remove("description"));
        Add("reason 1", body => body["reasonDescription"] = "1");
        Add("reason 19", body => body["reasonDescription"] = "19");
        Add("a first name of 2 characters", body => body["destinationFirstname"] = "مه");
        Add("a first name of 30 characters", body => body["destinationFirstname"] = PersianChars(30));
        Add("a last name of 2 characters", body => body["destinationLastname"] = "دو");
        Add("a last name of 30 characters", body => body["destinationLastname"] = PersianChars(30));
        Add("an amount of 1 rial", body => body["amount"] = 1);
        return cases;
    }

    [Theory]
    [MemberData(nameof(ValuesAtTheirBounds))]
    public async Task a_value_at_its_bound_is_accepted_and_the_payment_is_made(string why, string body)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var sent = JsonNode.Parse(body)!.AsObject();

        var answer = await PolKit.PayAsync(payer, body, PolKit.NewTrackId());

        answer.ShouldBePaid();
        Assert.True(sent["description"]?.GetValue<string>() is not { } description || answer.Str("description") == description, why);
        var amountRials = sent["amount"]!.GetValue<long>();
        var after = await _kit.SettledLedgerAsync();
        PolKit.ShouldHavePaid(before, after, PolSeed.MellatIban, amountRials);
    }

    [Fact]
    public async Task a_description_of_30_persian_characters_is_accepted_since_it_is_counted_in_characters_not_bytes()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var description = PersianChars(30);
        Assert.Equal(60, Encoding.UTF8.GetByteCount(description));

        var body = PolSeed.ExampleBody(amountRials: 500);
        body["description"] = description;

        var answer = await PolKit.PayAsync(payer, body);

        Assert.Equal(description, answer.ShouldBePaid().Str("description"));
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task paying_the_source_deposit_through_its_own_iban_is_refused_with_the_documented_message()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SourceIban), trackId);

        answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.Equal("Source And destination accounts are the same!", answer.ErrorMessage);
        Assert.Equal(trackId, answer.Str("trackId"));
        Assert.Equal(before.Transfers.Count, (await _kit.SettledLedgerAsync()).Transfers.Count);
    }

    [Fact]
    public async Task same_accounts_is_found_before_the_amount_limit_and_the_pol_bank_rules()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync(limitRials: 1_000);

        // Over the token's limit, and Ayandeh is no Pol bank: the same-account rule still answers first.
        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SourceIban, amountRials: 1_001));

        Assert.Equal("Source And destination accounts are the same!", answer.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR").ErrorMessage);
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task an_amount_one_rial_over_the_token_limit_is_refused_with_the_documented_message_and_the_limit_itself_is_paid()
    {
        await _kit.StartDayAsync();
        const long LimitRials = 2_500_000;
        var payer = await _kit.PayerAsync(limitRials: LimitRials);
        var before = await _kit.SettledLedgerAsync();

        var over = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: LimitRials + 1));
        var atLimit = await PolKit.PayAsync(payer, PolSeed.ExampleBody(amountRials: LimitRials));

        Assert.Equal("Max amount per transaction limitation exceeded", over.ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR").ErrorMessage);
        Assert.Equal(LimitRials, atLimit.ShouldBePaid().Body.GetProperty("amount").GetInt64());
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(-LimitRials, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Theory]
    [InlineData(PolSeed.TejaratIban)]
    [InlineData(PolSeed.OtherHostIban)]
    public async Task a_destination_at_a_bank_outside_pol_is_refused_naming_destinationNumber(string iban)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(payer, PolSeed.ExampleBody(iban));

        answer.ShouldNameTheField("destinationNumber");
        Assert.Contains("Pol", answer.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before.Transfers.Count, (await _kit.SettledLedgerAsync()).Transfers.Count);
    }

    [Fact]
    public async Task a_client_credential_token_is_refused_since_only_the_paying_customer_can_grant_a_payment()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync(Scopes.InstantPayment);
        var before = await _kit.SettledLedgerAsync();

        var answer = await PolKit.PayAsync(backOffice, PolSeed.ExampleBody());

        answer.ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal(before.Transfers.Count, (await _kit.SettledLedgerAsync()).Transfers.Count);
    }

    [Fact]
    public async Task a_payment_without_a_trackId_is_refused_since_it_moves_money()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var answer = await payer.PostEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/instantPayment", PolSeed.ExampleBody().Json());

        answer.ShouldNameTheField("trackId");
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task a_source_deposit_that_the_token_does_not_grant_is_refused()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var body = PolSeed.ExampleBody();
        body["sourceDeposit"] = "0201648361007";

        var answer = await PolKit.PayAsync(payer, body);

        answer.ShouldFail(HttpStatusCode.Forbidden, "FORBIDDEN");
        await _kit.SettledLedgerAsync();
    }
}

public sealed class InstantPaymentValidationTests_on_sqlite(PolSqliteGateway gateway)
    : InstantPaymentValidationTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class InstantPaymentValidationTests_on_postgres(PolPostgresGateway gateway)
    : InstantPaymentValidationTests(gateway), IClassFixture<PolPostgresGateway>;
