using Havale.Api.CallLog;
using Havale.Api.Rails;
using Havale.Api.Sandbox;
using Havale.Api.Storage;
using Havale.Api.Tests.Pol;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// A retry of an instantPayment whose call was cut off (issue #10, item 1) always gets the payment's answer: run
/// afresh when nothing was held, the finished call's answer from the ledger when a hold exists, 408 while its bank
/// has still not answered; never 409. The call row is put in the state a SIGKILL leaves it in (interrupted, no answer);
/// CrashRecoveryTests does the same with real kills.
/// </summary>
public abstract class InterruptedPaymentTests(PolGateway gateway)
{
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task a_retry_of_an_interrupted_payment_that_held_nothing_runs_afresh_and_pays()
    {
        var day = await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        // Five payments to one IBAN fill the day's cap; the sixth is admitted and refused without a hold.
        for (var i = 0; i < 5; i++)
        {
            (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SamanIban, 1_000))).ShouldBePaid();
        }
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.SamanIban, 1_000).Json();
        (await PolKit.PayAsync(payer, body, trackId)).ShouldFail(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await LeaveAsACrashLeavesItAsync(trackId);
        // The next day's caps are empty: a run afresh pays, a replay or a 409 would not.
        await _kit.MoveClockToAsync(day.AddDays(1), 12, 0, 0);
        var before = await _kit.SettledLedgerAsync();

        var retry = await PolKit.PayAsync(payer, body, trackId);
        var inquiry = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();
        var again = await PolKit.PayAsync(payer, body, trackId);

        retry.ShouldBePaid();
        Assert.False(retry.Response.Headers.Contains("X-Havale-Replayed"));
        PolKit.ShouldHavePaid(before, await _kit.SettledLedgerAsync(), PolSeed.SamanIban, 1_000);
        Assert.Equal("DONE", inquiry.Result.GetProperty("state").GetString());
        Assert.Equal(retry.Raw, inquiry.Result.GetProperty("response").GetRawText());
        Assert.Equal(retry.Raw, again.Raw);
        Assert.Equal(1, PolKit.PolHoldsFor(await _kit.BalancedLedgerAsync(), trackId));
    }

    /// <summary>The bank decided when the payment arrived and the gateway died before it heard: the retry asks and answers.</summary>
    [Theory]
    [InlineData("019", PolSeed.SaderatIban, 6_000_000L, null)]
    [InlineData("016", PolSeed.KeshavarziBlockedIban, 0L, "destination account is blocked")]
    public async Task a_retry_of_an_interrupted_payment_with_a_hold_gets_408_while_the_bank_is_silent_then_the_finished_answer(
        string bankCode, string iban, long paidRials, string? refusal)
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        await _kit.Sandbox.SetBankAsync(bankCode, "timeout");
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(iban, 6_000_000).Json();
        (await PolKit.PayAsync(payer, body, trackId)).ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        await LeaveAsACrashLeavesItAsync(trackId);

        var whileSilent = await PolKit.PayAsync(payer, body, trackId);
        var inquiryWhileSilent = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();
        // Through the service, not the sandbox route: the route asks about open holds itself, and this test is of
        // the retry asking.
        await gateway.Services.GetRequiredService<SimulatedBanks>().SetBehaviourAsync(bankCode, BankMode.Normal, 0, CancellationToken.None);
        var onceAnswered = await PolKit.PayAsync(payer, body, trackId);
        var inquiry = (await PolKit.InquireAsync(payer, trackId)).ShouldSucceed();
        var again = await PolKit.PayAsync(payer, body, trackId);

        whileSilent.ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        Assert.Equal("UNKNOWN", inquiryWhileSilent.Result.GetProperty("state").GetString());
        if (refusal is null)
        {
            onceAnswered.ShouldBePaid();
            Assert.Equal("DONE", inquiry.Result.GetProperty("state").GetString());
        }
        else
        {
            onceAnswered.ShouldBeRefusedByTheBank(refusal);
            Assert.Equal("FAILED", inquiry.Result.GetProperty("state").GetString());
        }
        Assert.Equal(trackId, onceAnswered.Str("trackId"));
        Assert.Equal(inquiry.Result.GetProperty("originKey").GetString(), onceAnswered.Str("originKey"));
        Assert.Equal(onceAnswered.Raw, inquiry.Result.GetProperty("response").GetRawText());
        Assert.Equal(onceAnswered.Raw, again.Raw);
        Assert.Equal("true", again.Response.Headers.GetValues("X-Havale-Replayed").Single());
        PolKit.ShouldHavePaid(before, await _kit.SettledLedgerAsync(), iban, paidRials);
    }

    [Fact]
    public async Task concurrent_retries_of_an_interrupted_payment_all_get_one_answer_and_it_is_paid_once()
    {
        await _kit.StartDayAsync();
        var payer = await _kit.PayerAsync();
        var before = await _kit.SettledLedgerAsync();
        await _kit.Sandbox.SetBankAsync("056", "timeout");
        var trackId = PolKit.NewTrackId();
        var body = PolSeed.ExampleBody(PolSeed.SamanIban, 7_000).Json();
        (await PolKit.PayAsync(payer, body, trackId)).ShouldFail(HttpStatusCode.RequestTimeout, "TIMEOUT");
        await LeaveAsACrashLeavesItAsync(trackId);
        await gateway.Services.GetRequiredService<SimulatedBanks>().SetBehaviourAsync("056", BankMode.Normal, 0, CancellationToken.None);

        var retries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PolKit.PayAsync(payer, body, trackId)));

        Assert.All(retries, retry => retry.ShouldBePaid());
        Assert.Single(retries.Select(retry => retry.Str("inquirySequence")).Distinct());
        Assert.Single(retries.Select(retry => retry.Str("originKey")).Distinct());
        PolKit.ShouldHavePaid(before, await _kit.SettledLedgerAsync(), PolSeed.SamanIban, 7_000);
    }

    /// <summary>What a SIGKILL between the first commit and the second leaves, after the next start: interrupted, no answer.</summary>
    private Task LeaveAsACrashLeavesItAsync(string trackId) => CrashLeftovers.LeaveCallInterruptedAsync(gateway.Services, trackId);
}

public sealed class InterruptedPaymentTests_on_sqlite(PolSqliteGateway gateway) : InterruptedPaymentTests(gateway), IClassFixture<PolSqliteGateway>;

public sealed class InterruptedPaymentTests_on_postgres(PolPostgresGateway gateway) : InterruptedPaymentTests(gateway), IClassFixture<PolPostgresGateway>;
