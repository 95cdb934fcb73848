using Havale.Api.Tests.PaymentOrders;
using Havale.Api.Tests.Pol;
using Havale.Client.Webhooks;
using static Havale.Api.Tests.PaymentOrders.KilidSeed;

namespace Havale.Api.Tests.Webhooks;

/// <summary>
/// The scripted scenario through the real pipeline: Pol payments (one done, one refused, one 408 resolved later
/// by recovery) and a Kilid order with an internal row and a Paya row its bank rejects, delivered to a receiver on
/// 127.0.0.1 that is down for its first requests. One test per gateway, so that no other test's events are in the outbox.
/// </summary>
public abstract class WebhookScenarioTests(WebhookGateway gateway)
{
    [Fact]
    public async Task a_receiver_down_at_first_gets_every_event_of_pol_and_kilid_signed_once_each_and_in_order_per_object()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RefuseNext(3);
        var webhooks = await WebhookClient.ForAsync(gateway);
        var (endpointId, _) = await webhooks.RegisterAsync(receiver);
        var pol = new PolKit(gateway);
        var day = await pol.StartDayAsync();
        var payer = await pol.PayerAsync();

        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.MellatIban, 1_000_000))).ShouldSucceed();
        // The blocked account's bank refuses the payment: the hold is voided at once.
        Assert.Equal("FAILED", (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.KeshavarziBlockedIban, 1_000_000))).Str("state"));
        await pol.Sandbox.SetBankAsync("019", "timeout");
        var timedOut = PolKit.NewTrackId();
        (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.SaderatIban, 2_000_000).Json(), timedOut)).ShouldFail(System.Net.HttpStatusCode.RequestTimeout, "TIMEOUT");
        await pol.Sandbox.SetBankAsync("019", "normal");

        var kilid = new KilidDriver(gateway);
        await kilid.Sandbox.SetBankAsync("061", "reject");
        var demo = await kilid.PersonAsync(DemoPerson, Demo);
        var order = await demo.CreatedAsync(KilidDriver.Body([KilidDriver.Row(40_000, Corporate), KilidDriver.Row(70_000, ShahrIban, name: "سیمین دانشور", description: "کتاب")], DemoPerson));
        (await demo.SignAsync(order)).ShouldSucceed();
        (await demo.PayAsync(order)).ShouldSucceed();
        await kilid.Sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 13, 46, 0));
        await kilid.Sandbox.SetBankAsync("061", "normal");

        var received = await receiver.WaitForAsync(10);
        Assert.Equal(3, receiver.Refused);
        Assert.All(receiver.Received, one => Assert.Equal(WebhookVerification.Valid, one.Verification));
        Assert.True(received.Count == 10, string.Join(", ", received.Select(one => one.Type)));
        var pols = received.Where(one => one.Type.StartsWith("pol.", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pols.Count);
        Assert.Equal(["pol.payment.done", "pol.payment.done", "pol.payment.failed"],
            pols.Select(one => one.Type).Order(StringComparer.Ordinal).ToList());
        var resolvedLater = Assert.Single(pols, one => one.Data.GetProperty("inquiryTrackId").GetString() == timedOut);
        Assert.Equal("pol.payment.done", resolvedLater.Type);
        Assert.Equal(2_000_000, resolvedLater.Data.GetProperty("amountRials").GetInt64());
        Assert.Equal("DONE", resolvedLater.Data.GetProperty("state").GetString());

        var ofOrder = received.Where(one => one.Type.StartsWith("kilid.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["kilid.order.created", "kilid.order.signed", "kilid.order.inprogress", "kilid.destination.success", "kilid.destination.failed",
            "kilid.order.done"], ofOrder.Select(one => one.Type).ToList());
        Assert.All(ofOrder, one => Assert.Equal(order, OrderOf(one)));
        Assert.Equal("done", ofOrder[^1].Data.GetProperty("status").GetString());
        Assert.Equal("failed", ofOrder[4].Data.GetProperty("destination").GetProperty("state").GetString());
        var cycle = Assert.Single(received, one => one.Type == "paya.cycle.settled");
        Assert.Equal(1, cycle.Data.GetProperty("failedCount").GetInt32());

        var log = (await webhooks.DeliveriesAsync(endpointId)).ShouldSucceed().Result;
        Assert.Equal(10, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), line => Assert.Equal("Delivered", line.GetProperty("status").GetString()));
        Assert.Contains(log.EnumerateArray(), line => line.GetProperty("attempts").GetInt32() > 1);
        Assert.All(log.EnumerateArray(), line => Assert.Equal(200, line.GetProperty("responseStatus").GetInt32()));
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    private static long OrderOf(ReceivedWebhook received)
        => received.Type.StartsWith("kilid.destination.", StringComparison.Ordinal)
            ? received.Data.GetProperty("destination").GetProperty("request").GetInt64()
            : received.Data.GetProperty("request").GetInt64();
}

public sealed class WebhookScenarioTests_on_sqlite(WebhookSqliteGateway gateway) : WebhookScenarioTests(gateway), IClassFixture<WebhookSqliteGateway>;

public sealed class WebhookScenarioTests_on_postgres(WebhookPostgresGateway gateway) : WebhookScenarioTests(gateway), IClassFixture<WebhookPostgresGateway>;
