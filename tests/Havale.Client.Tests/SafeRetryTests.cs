namespace Havale.Client.Tests;

/// <summary>
/// The retries that make a payment safe, each driven by the fault injector between the client's retry pipeline and
/// the gateway: a lost answer after the gateway committed, a 5xx, an attempt that times out, and a 408 that is
/// resolved through transaction inquiry instead of being sent again. Every test ends on a balanced ledger.
/// </summary>
public abstract class SafeRetryTests(ClientGateway gateway) : IDisposable
{
    private const string Pay = "/instantPayment";
    private ClientKit _kit = new(gateway);

    private HavaleClient Client => _kit.Client;

    private static long HoldsFor(LedgerAudit audit, string trackId)
        => audit.Transfers.Count(transfer => transfer.Kind == Havale.Api.Ledger.TransferKind.Pending && transfer.TrackId == trackId);

    [Fact]
    public async Task an_answer_lost_after_the_gateway_paid_is_asked_again_with_the_same_trackId_and_the_payment_happens_once()
    {
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();
        _kit.Faults.Plan(Pay, Fault.DropAnswerAfterGateway);

        var paid = await pol.PayAsync(People.Payment(3_300_000), "lost-answer-1");

        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.True(paid.WasReplayed);
        var attempts = _kit.Faults.To(Pay);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt => Assert.Contains("trackId=lost-answer-1", attempt.PathAndQuery, StringComparison.Ordinal));
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        // The client returns the first answer, the one that was lost: the gateway replays it byte for byte.
        var lost = JsonDocument.Parse(_kit.Faults.LostAnswers.Single()).RootElement;
        Assert.Equal(lost.GetProperty("inquirySequence").GetString(), paid.Answer!.InquirySequence);
        Assert.Equal(lost.GetProperty("originKey").GetString(), paid.OriginKey);
        var after = (await _kit.BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(1, HoldsFor(after, "lost-answer-1"));
        Assert.Equal(-3_300_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
    }

    [Fact]
    public async Task a_5xx_is_sent_again_once_with_the_same_trackId()
    {
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();
        _kit.Faults.Plan(Pay, Fault.ServerErrorBeforeGateway);

        var paid = await pol.PayAsync(People.Payment(1_200_000));

        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.False(paid.WasReplayed);
        var attempts = _kit.Faults.To(Pay);
        Assert.Equal([HttpStatusCode.BadGateway, HttpStatusCode.OK], attempts.Select(attempt => attempt.Status));
        Assert.Single(attempts.Select(attempt => attempt.PathAndQuery).Distinct());
        var after = await _kit.BalancedLedgerAsync();
        Assert.Equal(-1_200_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
    }

    [Fact]
    public async Task an_attempt_that_times_out_before_any_answer_is_sent_again_and_one_that_timed_out_after_the_gateway_paid_pays_once()
    {
        Replace(new ClientKit(gateway, options => options.Retry.AttemptTimeout = TimeSpan.FromSeconds(1)));
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();
        _kit.Faults.Plan(Pay, Fault.HangBeforeGateway);
        var first = await pol.PayAsync(People.Payment(1_000_000), "hang-before-1");
        _kit.Faults.Plan(Pay, Fault.HangAfterGateway);
        var second = await pol.PayAsync(People.Payment(1_000_000), "hang-after-1");

        Assert.Equal(PolOutcome.Paid, first.Outcome);
        Assert.False(first.WasReplayed);
        Assert.Equal(PolOutcome.Paid, second.Outcome);
        Assert.True(second.WasReplayed);
        Assert.Equal(4, _kit.Faults.To(Pay).Count);
        var after = (await _kit.BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(1, HoldsFor(after, "hang-after-1"));
        Assert.Equal(-2_000_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
    }

    [Fact]
    public async Task a_408_is_never_sent_again_but_resolved_through_transaction_inquiry_once_the_bank_answers()
    {
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();
        await Client.Sandbox.SetBankAsync("012", SandboxBankMode.Timeout);
        // The bank comes back as soon as the client has its 408, so the first inquiries may still see it unresolved.
        _kit.Faults.OnAnswer = async (request, response) =>
        {
            if (response.StatusCode == HttpStatusCode.RequestTimeout)
            {
                await Client.Sandbox.SetBankAsync("012", SandboxBankMode.Normal);
            }
        };

        var paid = await pol.PayAsync(People.Payment(4_400_000), "timed-out-1");

        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.True(paid.WasResolvedThroughInquiry);
        Assert.InRange(paid.InquiriesMade, 1, 3);
        Assert.Equal(TransactionState.Done, paid.Inquiry!.State);
        Assert.Equal(408, paid.Inquiry.HttpStatus);
        Assert.Equal(4_400_000, paid.Inquiry.AmountRials);
        Assert.False(string.IsNullOrEmpty(paid.OriginKey));
        var payments = _kit.Faults.To(Pay);
        Assert.Equal(HttpStatusCode.RequestTimeout, Assert.Single(payments).Status);
        var after = (await _kit.BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
        Assert.Equal(-4_400_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
        Assert.Equal(4_400_000, after.BalanceRials("bank:012") - before.BalanceRials("bank:012"));
    }

    [Fact]
    public async Task a_408_the_bank_does_not_resolve_within_the_bounded_wait_is_returned_unresolved_with_the_money_held()
    {
        Replace(new ClientKit(gateway, options =>
        {
            options.Retry.TimeoutResolutionWait = TimeSpan.FromMilliseconds(500);
            options.Retry.TimeoutResolutionInterval = TimeSpan.FromMilliseconds(100);
        }));
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        await Client.Sandbox.SetBankAsync("012", SandboxBankMode.Timeout);

        var unresolved = await pol.PayAsync(People.Payment(2_500_000), "still-unknown-1");

        Assert.Equal(PolOutcome.Unresolved, unresolved.Outcome);
        Assert.True(unresolved.WasResolvedThroughInquiry);
        Assert.InRange(unresolved.InquiriesMade, 1, 6);
        Assert.Equal(TransactionState.Unresolved, unresolved.Inquiry!.State);
        Assert.Single(_kit.Faults.To(Pay));
        Assert.Equal(2_500_000, (await _kit.BalancedLedgerAsync()).PendingRials(People.MaryamDeposit));

        await Client.Sandbox.SetBankAsync("012", SandboxBankMode.Normal);
        var later = await pol.TransactionInquiryAsync("still-unknown-1");

        Assert.Equal(TransactionState.Done, later.State);
        (await _kit.BalancedLedgerAsync()).ShouldHaveNoOpenHolds();
    }

    [Fact]
    public async Task a_call_that_never_gets_an_answer_gives_up_within_its_bound_and_says_the_outcome_is_unknown()
    {
        Replace(new ClientKit(gateway, options => options.Retry.AttemptsMax = 3));
        await _kit.StartDayAsync();
        var pol = Client.Pol(await _kit.MaryamPaysAsync());
        var before = await _kit.BalancedLedgerAsync();
        _kit.Faults.Plan(Pay, Fault.DropBeforeGateway, times: 3);

        var noAnswer = await Assert.ThrowsAsync<HavaleApiException>(() => pol.PayAsync(People.Payment(1_000_000), "no-answer-1"));

        Assert.True(noAnswer.IsOutcomeUnknown);
        Assert.Equal(HavaleErrorCodes.NoAnswer, noAnswer.Code);
        Assert.Null(noAnswer.HttpStatus);
        Assert.Equal("no-answer-1", noAnswer.TrackId);
        Assert.Equal(3, _kit.Faults.To(Pay).Count);
        var after = await _kit.BalancedLedgerAsync();
        Assert.Equal(before.BalanceRials(People.MaryamDeposit), after.BalanceRials(People.MaryamDeposit));
    }

    [Fact]
    public async Task a_kilid_payment_whose_answer_is_lost_after_the_gateway_paid_pays_the_order_once()
    {
        await _kit.StartDayAsync();
        var ali = await _kit.KilidAsync(People.Ali);
        var sara = await _kit.KilidAsync(People.Sara);
        var narges = await _kit.KilidAsync(People.Narges);
        var order = await ali.CreateOrderAsync(new OrderDraft
        {
            NationalCode = People.Ali,
            Destinations = [new OrderDestination { AmountRials = 7_000_000, Number = People.MaryamDeposit, Description = "اجاره" }],
        });
        await sara.SignAsync(order.Id);
        await narges.SignAsync(order.Id);
        var before = await _kit.BalancedLedgerAsync();
        _kit.Faults.Plan("/pay", Fault.DropAnswerAfterGateway);

        var paid = await sara.PayAsync(order.Id, "kilid-lost-answer-1");

        Assert.Equal(OrderStatus.Done, paid.Status);
        Assert.Equal(2, _kit.Faults.To("/pay").Count);
        var after = await _kit.BalancedLedgerAsync();
        Assert.Equal(-7_000_000, after.BalanceRials(People.Corporate) - before.BalanceRials(People.Corporate));
        Assert.Equal(7_000_000, after.BalanceRials(People.MaryamDeposit) - before.BalanceRials(People.MaryamDeposit));
    }

    private void Replace(ClientKit kit)
    {
        _kit.Dispose();
        _kit = kit;
    }

    public void Dispose() => _kit.Dispose();
}

public sealed class SafeRetryTests_on_sqlite(ClientSqliteGateway gateway) : SafeRetryTests(gateway), IClassFixture<ClientSqliteGateway>;

public sealed class SafeRetryTests_on_postgres(ClientPostgresGateway gateway) : SafeRetryTests(gateway), IClassFixture<ClientPostgresGateway>;
