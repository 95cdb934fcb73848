using Havale.Api.Tests.Pol;
using Havale.Client.Webhooks;
using Xunit.Abstractions;

namespace Havale.Api.Tests.Webhooks;

/// <summary>The in-process gateway only writes events here; its dispatcher looks once at start and then sleeps for an hour.</summary>
public class QuietWebhookGateway(TestDatabase database) : HavaleFactory(database, new Dictionary<string, string?>
{
    ["Havale:Rails:ResolveIntervalSeconds"] = "3600",
    ["Havale:Webhooks:PollIntervalMs"] = "3600000",
});

public sealed class QuietWebhookSqliteGateway() : QuietWebhookGateway(TestDatabase.Sqlite);

public sealed class QuietWebhookPostgresGateway() : QuietWebhookGateway(TestDatabase.Postgres);

/// <summary>A real gateway process, killed with SIGKILL while it delivers, and started again on the same database.</summary>
public abstract class WebhookCrashTests(QuietWebhookGateway gateway, ITestOutputHelper output)
{
    private const int Payments = 10;

    private static readonly string[] DispatcherSettings =
    [
        "--Havale:Webhooks:PollIntervalMs=50", "--Havale:Webhooks:ParallelAttemptsMax=1", "--Havale:Webhooks:LeaseSeconds=3",
        "--Havale:Webhooks:AttemptTimeoutSeconds=2", "--Havale:Webhooks:RetryDelaySecondsFirst=0.1", "--Havale:Webhooks:RetryDelaySecondsMax=0.5",
    ];

    [Fact]
    public async Task a_gateway_killed_mid_delivery_loses_no_event_and_its_restart_delivers_the_rest()
    {
        // One delivery at a time, each answered after a second: the kill lands while deliveries are on their way.
        await using var receiver = await WebhookReceiver.StartAsync(answerDelayMs: 1_000);
        var webhooks = await WebhookClient.ForAsync(gateway);
        await webhooks.RegisterAsync(receiver, Features.Webhooks.WebhookEventTypes.PolPaymentDone);
        var kit = new PolKit(gateway);
        await kit.StartDayAsync();
        var payer = await kit.PayerAsync();
        for (var i = 0; i < Payments; i++)
        {
            (await PolKit.PayAsync(payer, PolSeed.ExampleBody(PolSeed.ActivePolIbans[i % PolSeed.ActivePolIbans.Count], 100_000))).ShouldBePaid();
        }

        var port = CrashRecoveryTests.FreeLoopbackPort();
        int receivedBeforeKill;
        using (var first = await CrashRecoveryTests.GatewayProcess.StartAsync(gateway, port, output, 3600, DispatcherSettings))
        {
            receivedBeforeKill = (await receiver.WaitForAsync(3, timeoutSeconds: 60)).Count;
            first.Kill();
        }
        var afterKill = receiver.Distinct().Count;
        using (var second = await CrashRecoveryTests.GatewayProcess.StartAsync(gateway, port, output, 3600, DispatcherSettings))
        {
            await receiver.WaitForAsync(Payments, timeoutSeconds: 90);
        }

        output.WriteLine($"{receivedBeforeKill} delivered before the kill, {afterKill} right after it, {receiver.Received.Count} requests in all");
        Assert.InRange(receivedBeforeKill, 3, Payments - 1);
        Assert.InRange(afterKill, 3, Payments - 1);
        Assert.Equal(Payments, receiver.Distinct().Count);
        Assert.All(receiver.Received, one => Assert.Equal(WebhookVerification.Valid, one.Verification));
    }
}

public sealed class WebhookCrashTests_on_sqlite(QuietWebhookSqliteGateway gateway, ITestOutputHelper output)
    : WebhookCrashTests(gateway, output), IClassFixture<QuietWebhookSqliteGateway>;

public sealed class WebhookCrashTests_on_postgres(QuietWebhookPostgresGateway gateway, ITestOutputHelper output)
    : WebhookCrashTests(gateway, output), IClassFixture<QuietWebhookPostgresGateway>;
