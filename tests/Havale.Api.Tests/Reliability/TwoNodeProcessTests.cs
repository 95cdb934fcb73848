using System.Diagnostics;
using Havale.Api.Sandbox;
using Havale.Api.Tests.Pol;
using Npgsql;
using Xunit.Abstractions;
using GatewayProcess = Havale.Api.Tests.Ledger.CrashRecoveryTests.GatewayProcess;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Two real gateway processes on one PostgreSQL, each with its own home folder as on two machines (issue #10, item 2):
/// a node owns its in-flight calls and holds, so another node's restart or recovery leaves them alone; a node that is
/// gone has its calls interrupted and its holds recovered by the other; cookies and the sandbox clock are shared.
/// </summary>
public sealed class TwoNodeProcessTests(QuietRailsPostgresGateway database, ITestOutputHelper output) : IClassFixture<QuietRailsPostgresGateway>, IDisposable
{
    private const string MellatCode = "012";
    private const string PayBody =
        """{"amount": 4000, "description": "دو گره", "reasonDescription": "19", "destinationFirstname": "محمود", "destinationLastname": "دولت آبادی", "destinationNumber": "IR370120000000003141592653"}""";

    private readonly SandboxDriver _sandbox = new(database);
    private readonly List<string> _homes = [];

    [Fact]
    public async Task a_nodes_restart_does_not_interrupt_or_recover_a_payment_the_other_node_is_still_waiting_on()
    {
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(_sandbox.NextFreeDayTehran(), 12, 0, 0));
        // Node B waits up to a minute for the bank, which takes 45 s: longer than node A's restart (which took 21 s on a
        // machine loaded by other test runs, where a 20 s bank answered first).
        string[] settings = ["--Havale:Rails:PolAnswerTimeoutMs=60000"];
        var portA = CrashRecoveryTests.FreeLoopbackPort();
        var nodeA = await StartAsync(portA, settings);
        using var nodeB = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), settings);
        try
        {
            (await nodeA.SetBankAsync(MellatCode, 45_000)).ShouldSucceed();
            using var payer = await PayerAsync(nodeB);
            var before = (await LedgerAudit.ReadAsync(database.Services)).ShouldBalance();
            var trackId = "twonodes-" + Guid.NewGuid().ToString("N")[..12];

            var paying = payer.PostEnvelopeAsync($"/oak/v2/clients/havale-demo/instantPayment?trackId={trackId}", PayBody);
            await WaitForAsync(trackId, "SELECT count(*) FROM ledger_transfers WHERE track_id = @t AND kind = 'Pending'", 1, paying);
            nodeA.Kill();
            nodeA.Dispose();
            nodeA = await StartAsync(portA, settings);
            // A has started (its start marks interrupted calls and recovers open holds) and its resolver has run a few
            // times since; B's call must still be B's.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var stateAfterRestart = await ScalarAsync<string>("SELECT state FROM call_log WHERE track_id = @t", trackId);
            var resolutionsAfterRestart = await ScalarAsync<long>(
                "SELECT count(*) FROM ledger_transfers r JOIN ledger_transfers h ON r.pending_id = h.id WHERE h.track_id = @t", trackId);
            Assert.False(paying.IsCompleted, "node B answered before node A was back; raise the bank's latency");
            var answer = await paying;

            Assert.Equal("InProgress", stateAfterRestart);
            Assert.Equal(0, resolutionsAfterRestart);
            answer.ShouldBePaid();
            var after = (await LedgerAudit.ReadAsync(database.Services)).ShouldBalance().ShouldHaveNoOpenHolds();
            Assert.Equal(-4_000, after.BalanceRials(Seed.DemoDeposit) - before.BalanceRials(Seed.DemoDeposit));
        }
        finally
        {
            nodeA.Dispose();
            await database.Services.GetRequiredService<SimulatedBanks>().SetBehaviourAsync(MellatCode, BankMode.Normal, 0, CancellationToken.None);
        }
    }

    /// <summary>Either node killed in turn under retrying clients, whose retries go to the other node meanwhile.</summary>
    [Fact]
    public Task pol_payments_retried_through_sigkills_of_either_node_each_get_the_answer_the_ledger_agrees_with()
        => KillsUnderRetries.RunAsync(database, output, nodeCount: 2);

    [Fact]
    public async Task a_node_that_is_gone_has_its_call_interrupted_by_the_other_whose_retry_gets_the_payments_answer()
    {
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(_sandbox.NextFreeDayTehran(), 12, 0, 0));
        // One issuer for both, as behind a load balancer: a token is checked against the address it was issued for.
        string[] settings = ["--Havale:Rails:PolAnswerTimeoutMs=60000", "--Havale:Node:HeartbeatSeconds=1", "--Havale:Node:DeadAfterSeconds=5",
            "--Havale:Auth:Issuer=http://havale.test/"];
        using var nodeA = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), settings);
        var nodeB = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), settings);
        try
        {
            (await nodeA.SetBankAsync(MellatCode, 3_000)).ShouldSucceed();
            using var onA = await PayerAsync(nodeA);
            using var onB = new HttpClient { BaseAddress = nodeB.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
            var before = (await LedgerAudit.ReadAsync(database.Services)).ShouldBalance();
            var trackId = "gonenode-" + Guid.NewGuid().ToString("N")[..12];
            var uri = $"/oak/v2/clients/havale-demo/instantPayment?trackId={trackId}";

            var paying = onB.PostEnvelopeAsync(uri, PayBody);
            await WaitForAsync(trackId, "SELECT count(*) FROM ledger_transfers WHERE track_id = @t AND kind = 'Pending'", 1, paying);
            nodeB.Kill();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => paying);
            var gone = Stopwatch.StartNew();
            await WaitForAsync(trackId, "SELECT count(*) FROM call_log WHERE track_id = @t AND state = 'Interrupted'", 1);
            output.WriteLine($"node B's call was interrupted by node A {gone.Elapsed.TotalSeconds:F1} s after B was killed");
            var retry = await onA.PostEnvelopeAsync(uri, PayBody);
            var inquiry = (await onA.GetEnvelopeAsync($"/oak/v2/clients/havale-demo/transactionInquiry?inquiryTrackId={trackId}")).ShouldSucceed();

            // B died before the bank recorded the payment (it sleeps first), so the bank never received it: FAILED.
            Assert.True(retry.Status == HttpStatusCode.OK, retry.Raw);
            Assert.Equal("FAILED", retry.Str("state"));
            Assert.Equal("FAILED", inquiry.Result.GetProperty("state").GetString());
            var after = (await LedgerAudit.ReadAsync(database.Services)).ShouldBalance().ShouldHaveNoOpenHolds();
            Assert.Equal(before.BalanceRials(Seed.DemoDeposit), after.BalanceRials(Seed.DemoDeposit));
        }
        finally
        {
            nodeB.Dispose();
            await database.Services.GetRequiredService<SimulatedBanks>().SetBehaviourAsync(MellatCode, BankMode.Normal, 0, CancellationToken.None);
        }
    }

    /// <summary>The console's sign-in form from one node, posted to the other; the session cookie it sets opens pages on the first.</summary>
    [Fact]
    public async Task a_cookie_and_an_antiforgery_token_issued_by_one_node_are_accepted_by_the_other()
    {
        using var nodeA = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), []);
        // The key ring exists once A has served a form; B starts after, as a node added behind the load balancer.
        var cookies = new CookieContainer();
        using var browserOnA = Browser(nodeA, cookies);
        var login = await browserOnA.GetStringAsync("/console/login");
        using var nodeB = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), []);
        using var browserOnB = Browser(nodeB, cookies);
        var fields = SignatoryConsole.ConsoleVisitor.Hidden(login).ToDictionary();
        fields["nid"] = Seed.DemoNid;
        fields["password"] = Seed.DemoNid;
        fields["returnUrl"] = "/console";

        var signedIn = await browserOnB.PostAsync("/console/login", new FormUrlEncodedContent(fields));
        var homeOnA = await browserOnA.GetAsync("/console");
        var homeOnB = await browserOnB.GetAsync("/console");

        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"sign-in on B answered {(int)signedIn.StatusCode}: {await signedIn.Content.ReadAsStringAsync()}");
        Assert.True(homeOnA.StatusCode == HttpStatusCode.OK, $"node A answered {(int)homeOnA.StatusCode} to B's session cookie");
        Assert.True(homeOnB.StatusCode == HttpStatusCode.OK, $"node B answered {(int)homeOnB.StatusCode} to its own session cookie");
    }

    [Fact]
    public async Task the_sandbox_clock_moved_on_one_node_is_the_clock_of_the_other()
    {
        using var nodeA = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), []);
        using var nodeB = await StartAsync(CrashRecoveryTests.FreeLoopbackPort(), []);
        var day = _sandbox.NextFreeDayTehran().AddDays(3);
        var moved = await nodeA.Client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", $$"""{"now": "{{day:yyyy-MM-dd}}T09:15:00+03:30"}""");
        moved.ShouldSucceed();

        var waited = Stopwatch.StartNew();
        string? onB = null;
        while (waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            onB = (await nodeB.Client.GetEnvelopeAsync("/sandbox/v1/clock")).ShouldSucceed().Result.GetProperty("tehran").GetString();
            if (onB == moved.Result.GetProperty("tehran").GetString())
            {
                break;
            }
            await Task.Delay(200);
        }

        output.WriteLine($"node B took up node A's clock after {waited.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(moved.Result.GetProperty("tehran").GetString(), onB);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(SandboxClockFollower.FollowMs * 3 / 1000.0 + 1));
    }

    private async Task<GatewayProcess> StartAsync(int port, string[] settings)
    {
        var home = Directory.CreateTempSubdirectory("havale-node-home-").FullName;
        _homes.Add(home);
        return await GatewayProcess.StartInHomeAsync(database, port, output, 1, home, settings);
    }

    private static HttpClient Browser(GatewayProcess node, CookieContainer cookies)
        => new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Client.BaseAddress };

    private static async Task<HttpClient> PayerAsync(GatewayProcess node)
    {
        var token = (await node.Client.CallAsync(HttpMethod.Post, "/sandbox/v1/tokens",
                $$"""{"grant_type":"authorization_code","nid":"{{Seed.DemoNid}}","deposits":["{{Seed.DemoDeposit}}"],"scopes":"oak:instant-payment:post,oak:transaction-inquiry:get","limit":50000000,"bank":"062"}"""))
            .ShouldSucceed().Result.GetProperty("value").GetString()!;
        var payer = new HttpClient { BaseAddress = node.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        payer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return payer;
    }

    private async Task WaitForAsync(string trackId, string countSql, long expected, Task<Answer>? paying = null)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (paying is { IsCompletedSuccessfully: true })
            {
                Assert.Fail($"the payment was answered while waiting for {countSql}: {paying.Result.Raw}");
            }
            if (await ScalarAsync<long>(countSql, trackId) == expected)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{countSql} did not reach {expected} for {trackId} within 30 s");
    }

    private async Task<T> ScalarAsync<T>(string sql, string trackId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("t", trackId);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        foreach (var home in _homes)
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is not worth failing a test over.
            }
        }
    }
}
