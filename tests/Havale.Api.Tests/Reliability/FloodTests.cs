using System.Diagnostics;
using Xunit.Abstractions;

namespace Havale.Api.Tests.Reliability;

/// <summary>A gateway with small flood limits, so that a test can pass them (issue #10, item 5).</summary>
public class FloodGateway(TestDatabase database) : HavaleFactory(database, new Dictionary<string, string?>
{
    ["Havale:Floods:ClientRequestsPerSecond"] = FloodTests.ClientRequestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Havale:Floods:TokenConcurrentCallsMax"] = FloodTests.TokenConcurrentCallsMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
});

public sealed class FloodSqliteGateway() : FloodGateway(TestDatabase.Sqlite);

public sealed class FloodPostgresGateway() : FloodGateway(TestDatabase.Postgres);

/// <summary>
/// One client floods the gateway: it gets 429 TOO_MANY_REQUESTS in the envelope with Retry-After once past its limits,
/// and another client, calling at its own modest pace meanwhile, is answered every time, quickly.
/// </summary>
public abstract class FloodTests(HavaleFactory gateway, ITestOutputHelper output)
{
    public const int ClientRequestsPerSecond = 50;
    public const int TokenConcurrentCallsMax = 8;
    private const int FloodCallsCount = 600;
    /// <summary>More callers at once than one token may have in flight, so concurrency refusals happen too.</summary>
    private const int FloodersCount = 24;
    private const int OtherCallsCount = 20;
    private static readonly TimeSpan OtherPace = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan OtherP99Limit = TimeSpan.FromSeconds(2);

    private const string Inquiry = "/oak/v2/clients/{0}/ibanInquiry?iban=IR370120000000003141592653";

    [Fact]
    public async Task a_flood_from_one_client_is_refused_with_429_and_does_not_starve_another_client()
    {
        var anonymous = gateway.CreateJsonClient();
        var flooder = gateway.WithBearer((await anonymous.ClientCredentialAsync(Scopes.IbanInquiry)).Value());
        var other = gateway.WithBearer((await anonymous.ClientCredentialAsync(Scopes.IbanInquiry, Seed.OtherClient, Seed.OtherSecret, Seed.OtherNid)).Value());
        var statuses = new System.Collections.Concurrent.ConcurrentBag<Answer>();
        var next = 0;
        var flood = Enumerable.Range(0, FloodersCount).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= FloodCallsCount)
            {
                statuses.Add(await flooder.GetEnvelopeAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Inquiry, Seed.DemoClient)));
            }
        })).ToList();

        var latencies = new List<TimeSpan>();
        for (var call = 0; call < OtherCallsCount; call++)
        {
            var timer = Stopwatch.StartNew();
            var answer = await other.GetEnvelopeAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Inquiry, Seed.OtherClient));
            latencies.Add(timer.Elapsed);
            answer.ShouldSucceed();
            await Task.Delay(OtherPace);
        }
        await Task.WhenAll(flood);

        var refused = statuses.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        var p99 = latencies.Order().ElementAt((int)Math.Ceiling(latencies.Count * 0.99) - 1);
        output.WriteLine($"{FloodCallsCount} flood calls from {FloodersCount} tasks: {statuses.Count(answer => answer.Status == HttpStatusCode.OK)} answered, "
                         + $"{refused.Count} refused 429; the other client's {OtherCallsCount} calls: all 200, p50 "
                         + $"{latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:F0} ms, p99 {p99.TotalMilliseconds:F0} ms");
        Assert.NotEmpty(refused);
        Assert.All(statuses, answer => Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, answer.Raw));
        foreach (var answer in refused)
        {
            answer.ShouldFail(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
            Assert.True(int.TryParse(answer.Response.Headers.GetValues("Retry-After").Single(), out var seconds) && seconds >= 1, answer.Raw);
        }
        Assert.True(p99 <= OtherP99Limit, $"the other client's p99 was {p99.TotalMilliseconds:F0} ms during the flood");
    }
}

public sealed class FloodTests_on_sqlite(FloodSqliteGateway gateway, ITestOutputHelper output)
    : FloodTests(gateway, output), IClassFixture<FloodSqliteGateway>;

public sealed class FloodTests_on_postgres(FloodPostgresGateway gateway, ITestOutputHelper output)
    : FloodTests(gateway, output), IClassFixture<FloodPostgresGateway>;
