using System.Globalization;
using System.Numerics;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// The companions of instantPayment: ibanInquiry (who holds an IBAN), polInquiry (can a Pol payment go there now) and
/// transactionInquiry (what became of a call), each with real tokens over HTTP.
/// </summary>
public abstract class PolInquiryTests(PolGateway gateway)
{
    private readonly PolKit _kit = new(gateway);

    /// <summary>A well-formed IBAN that no simulated bank keeps an account for, check digits computed by ISO 13616.</summary>
    private static string UnknownIbanAt(string bankCode)
    {
        var bban = bankCode + "0000000000000000042";
        var check = 98 - (int)(BigInteger.Parse(bban + "182700", CultureInfo.InvariantCulture) % 97);
        return string.Create(CultureInfo.InvariantCulture, $"IR{check:D2}{bban}");
    }

    private static Task<Answer> IbanInquiryAsync(HttpClient client, string iban)
        => client.GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/ibanInquiry?iban={iban}");

    private static Task<Answer> PolInquiryAsync(HttpClient client, string destinationNumber, long? amountRials = null)
        => client.GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/polInquiry?destinationNumber={destinationNumber}"
                                   + (amountRials is { } amount ? string.Create(CultureInfo.InvariantCulture, $"&amount={amount}") : ""));

    [Fact]
    public async Task iban_inquiry_of_an_active_account_at_another_bank_gives_its_owner_and_alert_code_00()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();

        var result = (await IbanInquiryAsync(backOffice, PolSeed.MellatIban)).ShouldSucceed().Result;

        Assert.Equal(PolSeed.MellatIban, result.GetProperty("IBAN").GetString());
        Assert.Equal("ملت", result.GetProperty("bankName").GetString());
        Assert.Equal("3141592653", result.GetProperty("deposit").GetString());
        Assert.Equal("02", result.GetProperty("depositStatus").GetString());
        Assert.Equal("00", result.GetProperty("alertCode").GetString());
        var owner = result.GetProperty("depositOwners").Owner(0);
        Assert.Equal("محمود", owner.GetProperty("firstName").GetString());
        Assert.Equal("دولت‌آبادی", owner.GetProperty("lastName").GetString());
        Assert.Single(result.GetProperty("depositOwners").EnumerateArray());
    }

    [Fact]
    public async Task iban_inquiry_of_a_host_bank_iban_gives_the_deposit_number_with_its_leading_zero_and_its_owner()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();

        var result = (await IbanInquiryAsync(backOffice, PolSeed.SourceIban)).ShouldSucceed().Result;

        Assert.Equal(PolSeed.SourceDeposit, result.GetProperty("deposit").GetString());
        Assert.Equal("02", result.GetProperty("depositStatus").GetString());
        Assert.Equal("00", result.GetProperty("alertCode").GetString());
        Assert.Equal("مریم", result.GetProperty("depositOwners").Owner(0).GetProperty("firstName").GetString());
    }

    [Theory]
    [InlineData(PolSeed.KeshavarziBlockedIban, "04")]
    [InlineData(PolSeed.GardeshgariDormantIban, "05")]
    public async Task iban_inquiry_of_an_account_that_cannot_receive_gives_its_deposit_status(string iban, string depositStatus)
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();

        var result = (await IbanInquiryAsync(backOffice, iban)).ShouldSucceed().Result;

        Assert.Equal(depositStatus, result.GetProperty("depositStatus").GetString());
        Assert.Equal("00", result.GetProperty("alertCode").GetString());
    }

    [Theory]
    [InlineData(PolSeed.SeedPrintedIban, "01")]
    [InlineData("IR21062000000030287673231A", "01")]
    [InlineData(PolSeed.UnknownHostIban, "06")]
    public async Task iban_inquiry_of_an_invalid_or_unknown_iban_answers_with_its_alert_code_and_no_owner(string iban, string alertCode)
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();

        var result = (await IbanInquiryAsync(backOffice, iban)).ShouldSucceed().Result;

        Assert.Equal(alertCode, result.GetProperty("alertCode").GetString());
        Assert.Empty(result.GetProperty("depositOwners").EnumerateArray());
    }

    [Fact]
    public async Task iban_inquiry_of_an_account_another_bank_does_not_know_gives_alert_code_06()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();
        var unknown = UnknownIbanAt("061");

        var result = (await IbanInquiryAsync(backOffice, unknown)).ShouldSucceed().Result;

        Assert.Equal(unknown, result.GetProperty("IBAN").GetString());
        Assert.Equal("06", result.GetProperty("alertCode").GetString());
    }

    [Fact]
    public async Task iban_inquiry_while_the_keeping_bank_is_down_gives_alert_code_05()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();
        await _kit.Sandbox.SetBankAsync("070", "down");

        var answer = await IbanInquiryAsync(backOffice, PolSeed.ResalatIban);
        await _kit.Sandbox.SetBankAsync("070", "normal");

        Assert.Equal("05", answer.ShouldSucceed().Result.GetProperty("alertCode").GetString());
    }

    [Fact]
    public async Task iban_inquiry_without_an_iban_is_refused_naming_iban()
    {
        await _kit.StartDayAsync();
        var backOffice = await _kit.BackOfficeAsync();

        var answer = await backOffice.GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/ibanInquiry");

        answer.ShouldNameTheField("iban");
    }

    [Fact]
    public async Task pol_inquiry_says_a_payment_to_an_active_account_at_a_pol_bank_is_possible_and_to_whom()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var result = (await PolInquiryAsync(payer, PolSeed.MellatIban, 10_000_000)).ShouldSucceed().Result;

        Assert.True(result.GetProperty("isPossible").GetBoolean());
        Assert.Equal("012", result.GetProperty("bankCode").GetString());
        Assert.Equal("محمود", result.GetProperty("destinationFirstname").GetString());
        Assert.Equal("دولت‌آبادی", result.GetProperty("destinationLastname").GetString());
        Assert.Equal(10_000_000, result.GetProperty("amount").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("reasonCode").ValueKind);
    }

    [Theory]
    [InlineData(PolSeed.TejaratIban, "BANK_NOT_IN_POL")]
    [InlineData(PolSeed.OtherHostIban, "BANK_NOT_IN_POL")]
    [InlineData(PolSeed.KeshavarziBlockedIban, "ACCOUNT_BLOCKED")]
    [InlineData(PolSeed.GardeshgariDormantIban, "ACCOUNT_DORMANT")]
    public async Task pol_inquiry_says_why_a_payment_cannot_be_made(string iban, string reasonCode)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var result = (await PolInquiryAsync(payer, iban)).ShouldSucceed().Result;

        Assert.False(result.GetProperty("isPossible").GetBoolean());
        Assert.Equal(reasonCode, result.GetProperty("reasonCode").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task pol_inquiry_in_the_closed_hours_says_pol_is_closed_and_still_names_the_owner()
    {
        await _kit.StartDayAsync(hour: 2, minute: 0, second: 0);
        var payer = await _kit.PayerAsync();

        var result = (await PolInquiryAsync(payer, PolSeed.MellatIban, 1_000)).ShouldSucceed().Result;

        Assert.False(result.GetProperty("isPossible").GetBoolean());
        Assert.Equal("POL_CLOSED", result.GetProperty("reasonCode").GetString());
        Assert.Contains("04:30", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("محمود", result.GetProperty("destinationFirstname").GetString());
    }

    [Fact]
    public async Task pol_inquiry_of_an_amount_over_the_daily_cap_says_so()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var atCap = (await PolInquiryAsync(payer, PolSeed.MellatIban, 500_000_000)).ShouldSucceed().Result;
        var overCap = (await PolInquiryAsync(payer, PolSeed.MellatIban, 500_000_001)).ShouldSucceed().Result;

        Assert.True(atCap.GetProperty("isPossible").GetBoolean());
        Assert.Equal("AMOUNT_OVER_DAILY_LIMIT", overCap.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task pol_inquiry_of_a_malformed_iban_is_refused_naming_destinationNumber()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var answer = await PolInquiryAsync(payer, PolSeed.SeedPrintedIban);

        answer.ShouldNameTheField("destinationNumber");
    }

    [Fact]
    public async Task transaction_inquiry_of_a_trackId_never_used_is_not_found()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var answer = await PolKit.InquireAsync(payer, "never-used-" + Guid.NewGuid().ToString("N")[..12]);

        answer.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task transaction_inquiry_of_another_clients_trackId_answers_exactly_as_for_one_never_used()
    {
        await _kit.StartDayAsync();
        var demo = await _kit.PayerAsync();
        var other = await _kit.OtherClientsPayerAsync();
        var othersTrackId = PolKit.NewTrackId();
        var neverUsed = PolKit.NewTrackId();
        (await PolKit.PayAsync(other, PolSeed.ExampleBody(PolSeed.MellatIban, 3_000).Json(), othersTrackId, Seed.OtherClient)).ShouldBePaid();

        var foreign = await PolKit.InquireAsync(demo, othersTrackId);
        var unknown = await PolKit.InquireAsync(demo, neverUsed);

        foreign.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        unknown.ShouldFail(HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Equal(unknown.ErrorMessage.Replace(neverUsed, "*", StringComparison.Ordinal),
            foreign.ErrorMessage.Replace(othersTrackId, "*", StringComparison.Ordinal));
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task transaction_inquiry_of_a_paid_call_says_done_and_carries_the_original_answer()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var trackId = PolKit.NewTrackId();
        var paid = (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.PasargadIban, 4_000).Json(), trackId)).ShouldBePaid();

        var result = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed().Result;

        Assert.Equal(trackId, result.GetProperty("inquiryTrackId").GetString());
        Assert.Equal("DONE", result.GetProperty("state").GetString());
        Assert.Equal(200, result.GetProperty("httpStatus").GetInt32());
        Assert.Equal(paid.Str("originKey"), result.GetProperty("originKey").GetString());
        Assert.Equal(paid.Str("originKey"), result.GetProperty("response").GetProperty("originKey").GetString());
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task transaction_inquiry_of_a_refused_or_rejected_call_says_failed()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var refusedTrackId = PolKit.NewTrackId();
        var rejectedTrackId = PolKit.NewTrackId();
        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.TejaratIban).Json(), refusedTrackId)).ShouldNameTheField("destinationNumber");
        await _kit.Sandbox.SetBankAsync("013", "reject");
        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.RefahIban, 5_000).Json(), rejectedTrackId))
            .ShouldBeRefusedByTheBank("destination bank rejected the payment");
        await _kit.Sandbox.SetBankAsync("013", "normal");

        var refused = (await PolKit.InquireAsync(payer, refusedTrackId)).ShouldSucceed().Result;
        var rejected = (await PolKit.InquireAsync(payer, rejectedTrackId)).ShouldSucceed().Result;

        Assert.Equal("FAILED", refused.GetProperty("state").GetString());
        Assert.Equal(400, refused.GetProperty("httpStatus").GetInt32());
        Assert.Equal("FAILED", rejected.GetProperty("state").GetString());
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task transaction_inquiry_while_the_bank_is_still_answering_says_pending_then_done()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var trackId = PolKit.NewTrackId();
        await _kit.Sandbox.SetBankAsync("056", "normal", latencyMs: 2_000);

        var payment = PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SamanIban, 6_000).Json(), trackId);
        var seenWhileRunning = new List<string>();
        // Bounded: the bank answers after 2 s, so a few dozen looks at 50 ms cover it with room to spare.
        for (var look = 0; look < 60 && !payment.IsCompleted; look++)
        {
            var answer = await PolKit.InquireAsync(payer, trackId);
            if (answer.Status == HttpStatusCode.OK)
            {
                seenWhileRunning.Add(answer.Result.GetProperty("state").GetString()!);
            }
            await Task.Delay(50);
        }
        (await payment).ShouldBePaid();
        await _kit.Sandbox.SetBankAsync("056", "normal");
        var afterwards = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed().Result;

        Assert.Contains("PENDING", seenWhileRunning);
        Assert.Equal("DONE", afterwards.GetProperty("state").GetString());
        await _kit.SettledLedgerAsync();
    }

    [Fact]
    public async Task transaction_inquiry_without_an_inquiryTrackId_is_refused_naming_it()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();

        var answer = await payer.GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/transactionInquiry");

        answer.ShouldNameTheField("inquiryTrackId");
    }
}

public sealed class PolInquiryTests_on_sqlite(PolSqliteGateway gateway) : PolInquiryTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class PolInquiryTests_on_postgres(PolPostgresGateway gateway) : PolInquiryTests(gateway), IClassFixture<PolPostgresGateway>;
