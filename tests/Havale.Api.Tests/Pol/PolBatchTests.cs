using System.Globalization;
using Havale.Api.Ledger;
using Havale.Api.Rails;
using Havale.Api.Rails.Pol;
using Havale.Domain;

namespace Havale.Api.Tests.Pol;

/// <summary>
/// Payments that meet in one batch of the node's Pol writer: each is decided against the balance the ones before it
/// left, so one that lacks money fails alone while its neighbours pay, and the ledger stays exact.
/// </summary>
public abstract class PolBatchTests(FortyPaymentsGateway gateway)
{
    private const long Affordable = FortyPaymentsGateway.AmountRials * FortyPaymentsGateway.PaymentsAffordable;
    private readonly PolKit _kit = new(gateway);

    [Fact]
    public async Task payments_batched_together_each_get_their_own_answer_when_some_lack_money()
    {
        await _kit.StartDayAsync();
        var rails = gateway.Services.GetRequiredService<PaymentRails>();
        var writer = gateway.Services.GetRequiredService<PolWriter>();
        var before = await _kit.SettledLedgerAsync();
        Assert.Equal(Affordable, before.BalanceRials(PolSeed.EmptyDeposit));
        var (batchesBefore, itemsBefore) = (writer.BatchesApplied, writer.ItemsApplied);
        // 20 large payments alone ask for more than the deposit holds; 40 small ones fit in what the large ones leave.
        var amounts = Enumerable.Range(0, 60).Select(index => index % 3 == 0 ? 3_000_000L : 250_000L).ToList();
        using var start = new SemaphoreSlim(0);

        var calls = amounts.Select(async (amountRials, index) =>
        {
            await start.WaitAsync();
            var origin = new TransferOrigin(RailKind.Pol, Seed.DemoClient, PolSeed.EmptyNid, "batch-" + index.ToString(CultureInfo.InvariantCulture));
            return await rails.PayByPolAsync(DepositNumber.Parse(PolSeed.EmptyDeposit),
                Iban.Parse(PolSeed.ActivePolIbans[index % PolSeed.ActivePolIbans.Count]), Rials.FromTrusted(amountRials), origin, CancellationToken.None);
        }).ToList();
        start.Release(calls.Count);
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.Contains(result.Outcome, new[] { RailOutcome.Done, RailOutcome.InsufficientFunds }));
        var paidRials = results.Zip(amounts).Where(pair => pair.First.Outcome == RailOutcome.Done).Sum(pair => pair.Second);
        var leftRials = Affordable - paidRials;
        Assert.InRange(leftRials, 0, Affordable);
        // No payment was refused that the money left at the end would still have covered: each saw the running balance.
        Assert.All(results.Zip(amounts).Where(pair => pair.First.Outcome == RailOutcome.InsufficientFunds),
            pair => Assert.True(pair.Second > leftRials, $"a payment of {pair.Second} was refused with {leftRials} left"));
        Assert.Contains(results, result => result.Outcome == RailOutcome.InsufficientFunds);
        Assert.True(writer.ItemsApplied - itemsBefore > writer.BatchesApplied - batchesBefore,
            "60 payments at once should have shared batches");
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(leftRials, after.BalanceRials(PolSeed.EmptyDeposit));
        Assert.Equal(results.Count(result => result.Outcome == RailOutcome.Done),
            after.Transfers.Count(transfer => transfer.Kind == TransferKind.PostPending && transfer.TrackId?.StartsWith("batch-", StringComparison.Ordinal) == true));
    }
}

public sealed class PolBatchTests_on_sqlite(FortyPaymentsSqliteGateway gateway) : PolBatchTests(gateway), IClassFixture<FortyPaymentsSqliteGateway>;

public sealed class PolBatchTests_on_postgres(FortyPaymentsPostgresGateway gateway) : PolBatchTests(gateway), IClassFixture<FortyPaymentsPostgresGateway>;

/// <summary>A second gateway node on the first one's PostgreSQL database.</summary>
public sealed class SecondNode(HavaleFactory firstNode) : HavaleFactory(firstNode);

/// <summary>
/// Two gateway nodes on one PostgreSQL: each has its own Pol writer, caches and clock, and only the database's locks
/// and constraints are shared, which is what decides.
/// </summary>
public sealed class TwoNodesTests(FortyPaymentsPostgresGateway first) : IClassFixture<FortyPaymentsPostgresGateway>
{
    private readonly PolKit _kit = new(first);

    [Fact]
    public async Task two_nodes_paying_from_one_deposit_at_once_never_overdraw_and_pay_each_trackId_once()
    {
        await _kit.StartDayAsync();
        await using var second = new SecondNode(first);
        Assert.True(second.Clock.TrySetForward(first.Clock.GetUtcNow()));
        var onFirst = await _kit.PayerAsync(nid: PolSeed.EmptyNid, deposit: PolSeed.EmptyDeposit);
        // The token was issued by the first node; the second checks it with the keys both read from the database.
        var onSecond = second.WithBearer(onFirst.DefaultRequestHeaders.Authorization!.Parameter!);
        var before = await _kit.SettledLedgerAsync();
        Assert.Equal(FortyPaymentsGateway.AmountRials * FortyPaymentsGateway.PaymentsAffordable, before.BalanceRials(PolSeed.EmptyDeposit));
        using var start = new SemaphoreSlim(0);

        // 90 payments spread over both nodes, and 10 more each sent to both nodes at the same moment under one trackId.
        var calls = Enumerable.Range(0, 110).Select(async index =>
        {
            await start.WaitAsync();
            var payment = index < 90 ? index : index % 10;
            var body = PolSeed.ExampleBody(PolSeed.ActivePolIbans[payment % PolSeed.ActivePolIbans.Count], FortyPaymentsGateway.AmountRials);
            var trackId = index < 90 ? $"nodes-{index}" : $"nodes-both-{payment}";
            var node = index < 90 ? (index % 2 == 0 ? onFirst : onSecond) : (index < 100 ? onFirst : onSecond);
            return (TrackId: trackId, Answer: await PolKit.PayAsync(node, body, trackId));
        }).ToList();
        start.Release(calls.Count);
        var answers = await Task.WhenAll(calls);

        var byTrackId = answers.GroupBy(call => call.TrackId).ToList();
        Assert.Equal(100, byTrackId.Count);
        Assert.All(byTrackId, group => Assert.True(group.Select(call => call.Answer.Raw).Distinct().Count() == 1,
            string.Join(" | ", group.Select(call => call.Answer.Raw))));
        var paid = byTrackId.Where(group => group.First().Answer.Status == HttpStatusCode.OK).ToList();
        Assert.Equal(FortyPaymentsGateway.PaymentsAffordable, paid.Count);
        Assert.All(paid, group => group.First().Answer.ShouldBePaid());
        var after = await _kit.SettledLedgerAsync();
        Assert.Equal(0, after.BalanceRials(PolSeed.EmptyDeposit));
        Assert.All(byTrackId, group => Assert.True(PolKit.PolHoldsFor(after, group.Key) <= 1));
        Assert.Equal(FortyPaymentsGateway.PaymentsAffordable, byTrackId.Sum(group => PolKit.PolHoldsFor(after, group.Key)));
    }

    [Fact]
    public async Task a_token_revoked_on_one_node_is_refused_on_the_other_within_the_documented_bound()
    {
        await _kit.StartDayAsync();
        await using var second = new SecondNode(first);
        Assert.True(second.Clock.TrySetForward(first.Clock.GetUtcNow()));
        var token = (await first.CreateJsonClient().ClientCredentialAsync(Havale.Api.Auth.Scopes.IbanInquiry)).Value();
        var inquiry = $"/oak/v2/clients/{Seed.DemoClient}/ibanInquiry?iban={PolSeed.MellatIban}";
        (await second.WithBearer(token).GetEnvelopeAsync(inquiry)).ShouldSucceed();

        var revoker = (await first.CreateJsonClient().ClientCredentialAsync(Havale.Api.Auth.Scopes.IbanInquiry)).Value();
        (await first.WithBearer(revoker).CallAsync(HttpMethod.Delete, $"/dev/v2/clients/{Seed.DemoClient}/token",
            $"{{\"token\": \"{token}\", \"token_type\": \"CLIENT-CREDENTIAL\"}}")).ShouldSucceed();
        var revokedAt = System.Diagnostics.Stopwatch.StartNew();
        (await first.WithBearer(token).GetEnvelopeAsync(inquiry)).ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
        Answer onSecond;
        do
        {
            await Task.Delay(50);
            onSecond = await second.WithBearer(token).GetEnvelopeAsync(inquiry);
        }
        while (onSecond.Status == HttpStatusCode.OK && revokedAt.ElapsedMilliseconds < 10_000);

        onSecond.ShouldFail(HttpStatusCode.Forbidden, "VALIDATION_ERROR");
        // The bound is one refresh of the other node's set, plus the time that refresh itself takes on a loaded machine.
        Assert.True(revokedAt.ElapsedMilliseconds <= Havale.Api.Auth.RevokedTokens.RefreshMs * 3,
            $"refused on the second node after {revokedAt.ElapsedMilliseconds} ms");
    }
}
