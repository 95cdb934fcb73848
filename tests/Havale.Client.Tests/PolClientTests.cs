namespace Havale.Client.Tests;

/// <summary>Pol through the client against the real gateway: pay, the inquiries, and a bank's refusal and the gateway's.</summary>
public abstract class PolClientTests(ClientGateway gateway) : IDisposable
{
    private readonly ClientKit _kit = new(gateway);

    private HavaleClient Client => _kit.Client;

    [Fact]
    public async Task a_pol_payment_is_made_looked_up_before_and_inquired_after()
    {
        var day = await _kit.StartDayAsync();
        var maryam = await _kit.MaryamPaysAsync();
        var pol = Client.Pol(maryam);
        var before = await _kit.BalancedLedgerAsync();

        var lookup = await pol.PolInquiryAsync(People.MellatIban, 10_000_000);
        var paid = await pol.PayAsync(People.Payment(10_000_000));
        var inquiry = await pol.TransactionInquiryAsync(paid.TrackId);

        Assert.True(lookup.IsPossible);
        Assert.Equal("012", lookup.BankCode);
        Assert.Equal("محمود", lookup.DestinationFirstname);
        Assert.Equal(10_000_000, lookup.AmountRials);
        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.False(paid.WasResolvedThroughInquiry);
        Assert.False(paid.WasReplayed);
        Assert.Equal(32, paid.TrackId.Length);
        Assert.Equal(PaymentState.Done, paid.Answer!.State);
        Assert.Equal(10_000_000, paid.Answer.AmountRials);
        Assert.Equal(People.MellatIban, paid.Answer.DestinationIban);
        Assert.Equal(People.MaryamDeposit, paid.Answer.SourceNumber);
        Assert.False(string.IsNullOrEmpty(paid.OriginKey));
        Assert.Equal(ClientKit.TehranAt(day, 10, 0), paid.Answer.InquiredAt.Tehran);
        Assert.Equal(TransactionState.Done, inquiry.State);
        Assert.Equal(paid.TrackId, inquiry.InquiryTrackId);
        Assert.Equal(paid.OriginKey, inquiry.OriginKey);
        Assert.Equal(10_000_000, inquiry.AmountRials);
        Assert.Equal(200, inquiry.HttpStatus);
        Assert.Equal(ClientKit.TehranAt(day, 10, 0), inquiry.CallDate.Tehran);
        var after = await _kit.BalancedLedgerAsync();
        Assert.Equal(-10_000_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
        await _kit.LogsShouldHoldNoSecretAsync(maryam);
    }

    [Fact]
    public async Task a_payment_the_bank_refuses_is_failed_and_moves_no_money()
    {
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();

        var refused = await pol.PayAsync(People.Payment(2_000_000, People.KeshavarziBlockedIban), "refused-by-the-bank-1");

        Assert.Equal(PolOutcome.Failed, refused.Outcome);
        Assert.Equal("refused-by-the-bank-1", refused.TrackId);
        Assert.Equal(PaymentState.Failed, refused.Answer!.State);
        Assert.False(string.IsNullOrWhiteSpace(refused.Answer.Message));
        var after = (await _kit.BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(before.BalanceRials(People.MaryamDeposit), after.BalanceRials(People.MaryamDeposit));
    }

    [Fact]
    public async Task the_gateways_refusal_throws_with_its_code_status_and_trackId_and_is_not_sent_again()
    {
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync(limitRials: 1_000_000));

        var refusal = await Assert.ThrowsAsync<HavaleApiException>(() => pol.PayAsync(People.Payment(5_000_000), "over-the-limit-1"));

        Assert.Equal("VALIDATION_ERROR", refusal.Code);
        Assert.Equal("Max amount per transaction limitation exceeded", refusal.Message);
        Assert.Equal(HttpStatusCode.BadRequest, refusal.HttpStatus);
        Assert.Equal("over-the-limit-1", refusal.TrackId);
        Assert.False(refusal.IsOutcomeUnknown);
        Assert.Single(_kit.Faults.To("/instantPayment"));
    }

    [Fact]
    public async Task iban_inquiry_takes_a_client_credential_token_the_client_gets_by_itself()
    {
        var inquiry = await Client.Pol(People.IbanInquiry).IbanInquiryAsync(People.MellatIban);

        Assert.Equal(People.MellatIban, inquiry.Iban);
        Assert.Equal("00", inquiry.AlertCode);
        Assert.Equal("02", inquiry.DepositStatus);
        Assert.Equal("محمود", inquiry.DepositOwners.Single().FirstName);
        await _kit.LogsShouldHoldNoSecretAsync(People.IbanInquiry);
    }

    [Fact]
    public async Task a_trackId_that_finnotech_would_refuse_is_refused_before_anything_is_sent()
    {
        var pol = Client.Pol(People.IbanInquiry);

        await Assert.ThrowsAsync<ArgumentException>(() => pol.PayAsync(People.Payment(1_000), "has spaces"));
        await Assert.ThrowsAsync<ArgumentException>(() => pol.PayAsync(People.Payment(1_000), new string('a', TrackIds.LengthMax + 1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pol.PayAsync(People.Payment(0)));
        Assert.Empty(_kit.Faults.Attempts);
    }

    public void Dispose() => _kit.Dispose();
}

public sealed class PolClientTests_on_sqlite(ClientSqliteGateway gateway) : PolClientTests(gateway), IClassFixture<ClientSqliteGateway>;

public sealed class PolClientTests_on_postgres(ClientPostgresGateway gateway) : PolClientTests(gateway), IClassFixture<ClientPostgresGateway>;
