using Havale.Api.Tests.Pol;
using Havale.Client.Webhooks;

namespace Havale.Api.Tests.Webhooks;

/// <summary>Two gateway nodes on one PostgreSQL, both dispatching: the lease keeps each attempt on one node.</summary>
public sealed class WebhookTwoNodesTests(WebhookPostgresGateway first) : IClassFixture<WebhookPostgresGateway>
{
    private const int Payments = 24;

    [Fact]
    public async Task two_dispatchers_on_one_database_never_send_the_same_delivery_at_once_and_every_event_arrives_once()
    {
        // A slow receiver widens the window in which a second node could take a delivery that is already on its way.
        await using var receiver = await WebhookReceiver.StartAsync(answerDelayMs: 150);
        var webhooks = await WebhookClient.ForAsync(first);
        await webhooks.RegisterAsync(receiver, Features.Webhooks.WebhookEventTypes.PolPaymentDone);
        var kit = new PolKit(first);
        await kit.StartDayAsync();
        await using var second = new SecondNode(first);
        Assert.True(second.Clock.TrySetForward(first.Clock.GetUtcNow()));
        var onFirst = await kit.PayerAsync();
        var onSecond = second.WithBearer(onFirst.DefaultRequestHeaders.Authorization!.Parameter!);

        var paid = await Task.WhenAll(Enumerable.Range(0, Payments).Select(index => PolKit.PayAsync(index % 2 == 0 ? onFirst : onSecond,
            PolSeed.ExampleBody(PolSeed.ActivePolIbans[index % PolSeed.ActivePolIbans.Count], 100_000))));
        var received = await receiver.WaitForAsync(Payments);
        // Give a duplicate attempt, if there were one, time to arrive before counting.
        await Task.Delay(1_000);

        Assert.All(paid, answer => answer.ShouldBePaid());
        Assert.Equal(Payments, received.Count);
        Assert.Equal(1, receiver.MostAtOnceForOneId);
        Assert.Equal(Payments, receiver.Received.Count);
        Assert.All(receiver.Received, one => Assert.Equal(WebhookVerification.Valid, one.Verification));
    }
}
