namespace Havale.Api.Tests.Pol;

/// <summary>
/// instantPayment runs once per (client, trackId): an identical retry gets the first answer back and moves no money,
/// another body under the same trackId is a conflict, other clients' trackIds never collide, and a failure sticks.
/// </summary>
public abstract class ExactlyOnceTests(PolGateway gateway)
{
    private const string ReplayedHeader = "X-Havale-Replayed";
    private readonly PolKit _kit = new(gateway);

    private static bool IsReplayed(Answer answer)
        => answer.Response.Headers.TryGetValues(ReplayedHeader, out var values) && values.Single() == "true";

    [Fact]
    public async Task the_same_trackId_with_the_same_body_gets_the_first_answer_again_and_pays_once()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.MellatIban, 1_100_000).Json();

        var first = await PolKit.PayAsync(payer, body, trackId);
        var again = await PolKit.PayAsync(payer, body, trackId);

        first.ShouldBePaid();
        Assert.False(IsReplayed(first));
        Assert.True(IsReplayed(again));
        Assert.Equal(first.Status, again.Status);
        Assert.Equal(first.Raw, again.Raw);
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId));
        Assert.Equal(-1_100_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task a_retry_with_a_new_token_of_the_same_client_is_still_the_same_call()
    {
        await _kit.StartDayAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.ShahrIban, 1_200_000).Json();

        var first = await PolKit.PayAsync(await _kit.PayerAsync(), body, trackId);
        var again = await PolKit.PayAsync(await _kit.PayerAsync(), body, trackId);

        Assert.Equal(first.ShouldBePaid().Raw, again.Raw);
        Assert.Equal(1, PolKit.PolHoldsFor(await _kit.SettledLedgerAsync(), trackId));
    }

    [Fact]
    public async Task the_same_trackId_with_another_body_is_a_conflict_and_moves_nothing_more()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();

        var first = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ResalatIban, 1_300_000).Json(), trackId);
        var otherAmount = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ResalatIban, 1_300_001).Json(), trackId);
        var otherDestination = await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SaderatIban, 1_300_000).Json(), trackId);

        first.ShouldBePaid();
        foreach (var conflict in new[] { otherAmount, otherDestination })
        {
            conflict.ShouldFail(HttpStatusCode.Conflict, "CONFLICT");
            Assert.Equal(trackId, conflict.Str("trackId"));
        }
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId));
        Assert.Equal(-1_300_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task two_clients_using_the_same_trackId_each_make_their_own_payment()
    {
        await _kit.StartDayAsync();
        var demo = await _kit.PayerAsync();
        var other = await _kit.OtherClientsPayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();

        var demoAnswer = await PolKit.PayAsync(demo, PolSeed.ExampleBody(PolSeed.SamanIban, 1_400_000).Json(), trackId);
        var otherAnswer = await PolKit.PayAsync(other, PolSeed.ExampleBody(PolSeed.SamanIban, 2_400_000).Json(), trackId, Seed.OtherClient);
        var demoInquiry = (await PolKit.InquireAsync(demo, trackId)).ShouldSucceed();
        var otherInquiry = (await PolKit.InquireAsync(other, trackId, Seed.OtherClient)).ShouldSucceed();

        demoAnswer.ShouldBePaid();
        otherAnswer.ShouldBePaid();
        Assert.NotEqual(demoAnswer.Str("originKey"), otherAnswer.Str("originKey"));
        Assert.Equal(Seed.OtherDeposit, otherAnswer.Str("sourceNumber"));
        Assert.Equal(1_400_000, demoInquiry.Result.GetProperty("amountRials").GetInt64());
        Assert.Equal(2_400_000, otherInquiry.Result.GetProperty("amountRials").GetInt64());
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId, Seed.DemoClient));
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId, Seed.OtherClient));
        Assert.Equal(-1_400_000, after.BalanceRials(Seed.DemoDeposit) - before.BalanceRials(Seed.DemoDeposit));
        Assert.Equal(-2_400_000, after.BalanceRials(Seed.OtherDeposit) - before.BalanceRials(Seed.OtherDeposit));
    }

    [Fact]
    public async Task a_payment_the_bank_rejected_stays_failed_under_its_trackId_after_the_bank_recovers()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.EghtesadNovinIban, 1_500_000).Json();
        await _kit.Sandbox.SetBankAsync("055", "reject");

        var first = await PolKit.PayAsync(payer, body, trackId);
        await _kit.Sandbox.SetBankAsync("055", "normal");
        var retry = await PolKit.PayAsync(payer, body, trackId);
        var withNewTrackId = await PolKit.PayAsync(payer, body, PolKit.NewTrackId());

        first.ShouldBeRefusedByTheBank("destination bank rejected the payment");
        Assert.Equal(first.Raw, retry.Raw);
        Assert.True(IsReplayed(retry));
        withNewTrackId.ShouldBePaid();
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId));
        Assert.Equal(-1_500_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }

    [Fact]
    public async Task a_refusal_sticks_to_its_trackId_even_once_the_reason_has_gone()
    {
        var day = await _kit.StartDayAsync(hour: 3, minute: 0, second: 0);
        var payer = await _kit.PayerAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.RefahIban, 1_600_000).Json();

        var closed = await PolKit.PayAsync(payer, body, trackId);
        await _kit.MoveClockToAsync(day, 12, 0, 0);
        var retry = await PolKit.PayAsync(payer, body, trackId);

        closed.ShouldFail(HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
        Assert.Equal(closed.Status, retry.Status);
        Assert.Equal(closed.Raw, retry.Raw);
        Assert.Equal(0, PolKit.PolHoldsFor(await _kit.SettledLedgerAsync(), trackId));
    }

    [Fact]
    public async Task a_timed_out_payment_retried_with_its_trackId_gets_the_408_again_and_is_not_paid_twice()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.SepahIban, 1_700_000).Json();
        await _kit.Sandbox.SetBankAsync("015", "timeout");

        var first = await PolKit.PayAsync(payer, body, trackId);
        var retry = await PolKit.PayAsync(payer, body, trackId);
        await _kit.Sandbox.SetBankAsync("015", "normal");

        first.ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        Assert.Equal(first.Raw, retry.Raw);
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(1, PolKit.PolHoldsFor(after, trackId));
        Assert.Equal(-1_700_000, after.BalanceRials(PolSeed.SourceDeposit) - before.BalanceRials(PolSeed.SourceDeposit));
    }
}

public sealed class ExactlyOnceTests_on_sqlite(PolSqliteGateway gateway) : ExactlyOnceTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class ExactlyOnceTests_on_postgres(PolPostgresGateway gateway) : ExactlyOnceTests(gateway), IClassFixture<PolPostgresGateway>;
