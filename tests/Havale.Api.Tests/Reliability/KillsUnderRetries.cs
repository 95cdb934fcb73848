using System.Collections.Concurrent;
using System.Diagnostics;
using Havale.Api.CallLog;
using Havale.Api.Ledger;
using Havale.Api.Sandbox;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using GatewayProcess = Havale.Api.Tests.Ledger.CrashRecoveryTests.GatewayProcess;

namespace Havale.Api.Tests.Reliability;

/// <summary>
/// Issue #10, items 1 and 2: Pol payments from 8 clients and Kilid orders from 2 more (create, sign, pay), each client
/// sending one trackId again until it has an answer (<see cref="RetriedCalls"/>), while gateway processes are killed
/// with SIGKILL and restarted under that load, which runs until the last restart. With two nodes a client whose node
/// is down sends its retry to the other, as a load balancer would. No retry is ever told 409 "interrupted"; every call
/// ends with an answer (the DONE body, state FAILED with its reason, a refusal, the order paid) that is what the ledger
/// did and what transactionInquiry and the order's view say; the ledger balances with no hold pending.
/// </summary>
internal static class KillsUnderRetries
{
    /// <summary>Kills per run: 3 in CI; HAVALE_CRASH_KILLS sets more for the long mode (docs/reliability.md).</summary>
    public static int Kills => int.TryParse(Environment.GetEnvironmentVariable("HAVALE_CRASH_KILLS"), out var kills) && kills is > 0 and <= 1_000 ? kills : 3;

    private const int PolClients = 8;
    /// <summary>A bound on the load, which otherwise runs until the last kill's restart.</summary>
    private const int PaymentsPerClientMax = 5_000;
    private static readonly string[] Destinations = ["IR780700000000003141593063", "IR900560000000003141594249"];
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(HavaleFactory gateway, ITestOutputHelper output, int nodeCount, params string[] extraSettings)
    {
        var kills = Kills;
        var sandbox = new SandboxDriver(gateway);
        await sandbox.MoveClockToAsync(SandboxDriver.Tehran(sandbox.NextFreeDayTehran(), 12, 0, 0));
        var run = Guid.NewGuid().ToString("N")[..8];
        string[] settings = ["--Havale:Pol:DailyPaymentsToOneBeneficiaryMax=100000", "--Havale:Auth:Issuer=http://havale.test/", .. extraSettings];
        var ports = Enumerable.Range(0, nodeCount).Select(_ => CrashRecoveryTests.FreeLoopbackPort()).ToArray();
        var nodes = new GatewayProcess[nodeCount];
        for (var n = 0; n < nodeCount; n++)
        {
            nodes[n] = await GatewayProcess.StartAsync(gateway, ports[n], output, 1, settings);
        }
        var clientsOf = new List<HttpClient>();
        HttpClient[] ClientsWith(string token) => ports.Select(port =>
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            clientsOf.Add(client);
            return client;
        }).ToArray();
        try
        {
            foreach (var iban in Destinations)
            {
                (await nodes[0].SetBankAsync(Iban.Parse(iban).BankCode, 100)).ShouldSucceed();
            }
            var token = (await nodes[0].Client.CallAsync(HttpMethod.Post, "/sandbox/v1/tokens",
                    $$"""{"grant_type":"authorization_code","nid":"{{Seed.DemoNid}}","deposits":["{{Seed.DemoDeposit}}"],"scopes":"oak:instant-payment:post,oak:transaction-inquiry:get","limit":50000000,"bank":"062"}"""))
                .ShouldSucceed().Result.GetProperty("value").GetString()!;
            var payers = ClientsWith(token);
            var kilid = new KilidUnderRetries(run, ClientsWith(await KilidUnderRetries.TokenAsync(nodes[0].Client)));
            // Amounts repeat every 1,000 payments, so that a long run stays far inside the token's limit.
            string Body(int i) => $$"""{"amount":{{1_000 + i % 1_000}},"description":"retry","reasonDescription":"19","destinationFirstname":"محمود","destinationLastname":"دولت آبادی","destinationNumber":"{{Destinations[i % Destinations.Length]}}"}""";
            var lastTransferIdBefore = (await LedgerAudit.ReadAsync(gateway.Services)).Transfers.Select(transfer => transfer.Id).DefaultIfEmpty().Max();
            var calls = new RetriedCalls(nodeCount, TimeSpan.FromSeconds(120 + 30 * kills));
            var loadOn = true;
            var final = new ConcurrentDictionary<string, Answer>();
            var polClients = Enumerable.Range(0, PolClients).Select(client => Task.Run(async () =>
            {
                var retrying = calls.ClientOn(client % nodeCount);
                for (var n = 0; n < PaymentsPerClientMax && Volatile.Read(ref loadOn); n++)
                {
                    var i = client * PaymentsPerClientMax + n;
                    var trackId = $"retrypol-{run}-{i}";
                    var answer = await retrying.UntilAnsweredAsync(node =>
                        payers[node].PostEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/instantPayment?trackId={trackId}", Body(i)));
                    Assert.True(answer is not null, $"{trackId} had no answer within the run's time");
                    final[trackId] = answer;
                }
            }));
            var kilidClients = Enumerable.Range(0, KilidUnderRetries.Clients)
                .Select(client => Task.Run(() => kilid.RunClientAsync(calls, client, () => Volatile.Read(ref loadOn))));
            var load = polClients.Concat(kilidClients).ToList();

            for (var kill = 0; kill < kills; kill++)
            {
                await Task.Delay(LoadBeforeKill);
                var victim = kill % nodeCount;
                nodes[victim].Kill();
                nodes[victim].Dispose();
                nodes[victim] = await GatewayProcess.StartAsync(gateway, ports[victim], output, 1, settings);
            }
            // A little load on the restarted node(s) too, then the clients finish the call each has in hand.
            await Task.Delay(LoadBeforeKill);
            Volatile.Write(ref loadOn, false);
            await Task.WhenAll(load);

            output.WriteLine($"{nodeCount} node(s), {kills} SIGKILLs; answers by status: {calls.StatusSummary()}; retries of a call still in progress: {calls.InProgressRetries}; "
                + $"Pol payments answered: {final.Count}; Kilid orders paid: {kilid.OrdersPaid}");
            Assert.DoesNotContain((int)HttpStatusCode.Conflict, calls.Statuses);
            Assert.DoesNotContain(calls.Statuses, status => status >= 500 && status != 503);
            Assert.All(final.Values, answer => Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest, answer.Raw));
            var audit = await WaitForNoOpenHoldsAsync(gateway, SettleLimit);
            audit.ShouldBalance().ShouldHaveNoOpenHolds();
            await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
            var callRows = await db.CallRecords.AsNoTracking().Where(call => call.TrackId.StartsWith($"retrypol-{run}-")).ToListAsync();
            var done = 0;
            foreach (var (trackId, answer) in final)
            {
                var holds = audit.Transfers.Where(transfer => transfer.Kind == TransferKind.Pending && transfer.TrackId == trackId).ToList();
                Assert.True(holds.Count <= 1, $"{trackId} was held {holds.Count} times");
                var resolution = holds.Count == 0 ? null : audit.Transfers.Single(transfer => transfer.PendingId == holds[0].Id);
                var expected = answer.Status == HttpStatusCode.OK ? answer.Str("state") : "FAILED";
                Assert.True(expected == (resolution?.Kind == TransferKind.PostPending ? "DONE" : "FAILED"),
                    $"{trackId} was answered {answer.Raw} but its hold is {resolution?.Kind.ToString() ?? "absent"}");
                if (answer.Status == HttpStatusCode.OK)
                {
                    Assert.Equal(holds[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Str("inquirySequence"));
                }
                var inquiry = (await payers[0].GetEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/transactionInquiry?inquiryTrackId={trackId}")).ShouldSucceed();
                Assert.True(expected == inquiry.Result.GetProperty("state").GetString(), $"{trackId}: answered {answer.Raw}, inquiry {inquiry.Raw}");
                Assert.Equal(CallState.Completed, callRows.Single(call => call.TrackId == trackId).State);
                done += expected == "DONE" ? 1 : 0;
            }
            await kilid.CheckAsync(gateway, audit, lastTransferIdBefore);
            output.WriteLine($"Pol DONE {done}, FAILED {final.Count - done}; every Kilid order created once and paid once");
        }
        finally
        {
            foreach (var client in clientsOf)
            {
                client.Dispose();
            }
            foreach (var node in nodes)
            {
                node.Dispose();
            }
            var banks = gateway.Services.GetRequiredService<SimulatedBanks>();
            foreach (var iban in Destinations)
            {
                await banks.SetBehaviourAsync(Iban.Parse(iban).BankCode, BankMode.Normal, 0, CancellationToken.None);
            }
        }
    }

    /// <summary>The ledger once recovery has resolved every hold, or as it stands after <paramref name="limit"/>.</summary>
    public static async Task<LedgerAudit> WaitForNoOpenHoldsAsync(HavaleFactory gateway, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var audit = await LedgerAudit.ReadAsync(gateway.Services);
            if (audit.OpenHolds.Count == 0 || waited.Elapsed > limit)
            {
                return audit;
            }
            await Task.Delay(200);
        }
    }
}
