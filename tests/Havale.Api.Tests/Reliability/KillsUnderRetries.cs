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
/// Issue #10, items 1 and 2: Pol payments from 8 clients, each sending one trackId again until it has an answer, while
/// gateway processes are killed with SIGKILL and restarted under that load. With two nodes a client whose node is down
/// sends its retry to the other, as a load balancer would. No retry is ever told 409; every payment ends with an
/// answer (the DONE body, state FAILED with its reason, or a refusal) that is what the ledger did and what
/// transactionInquiry says; the ledger balances with no hold pending.
/// </summary>
internal static class KillsUnderRetries
{
    /// <summary>Kills per run: 3 in CI; HAVALE_CRASH_KILLS sets more for the long mode (docs/reliability.md).</summary>
    public static int Kills => int.TryParse(Environment.GetEnvironmentVariable("HAVALE_CRASH_KILLS"), out var kills) && kills is > 0 and <= 1_000 ? kills : 3;

    private const int Clients = 8;
    private const int PaymentsPerClient = 40;
    private static readonly string[] Destinations = ["IR780700000000003141593063", "IR900560000000003141594249"];
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(HavaleFactory gateway, ITestOutputHelper output, int nodeCount, params string[] extraSettings)
    {
        var kills = Kills;
        var everythingWithin = TimeSpan.FromSeconds(120 + 30 * kills);
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
        try
        {
            foreach (var iban in Destinations)
            {
                (await nodes[0].SetBankAsync(Iban.Parse(iban).BankCode, 100)).ShouldSucceed();
            }
            var token = (await nodes[0].Client.CallAsync(HttpMethod.Post, "/sandbox/v1/tokens",
                    $$"""{"grant_type":"authorization_code","nid":"{{Seed.DemoNid}}","deposits":["{{Seed.DemoDeposit}}"],"scopes":"oak:instant-payment:post,oak:transaction-inquiry:get","limit":50000000,"bank":"062"}"""))
                .ShouldSucceed().Result.GetProperty("value").GetString()!;
            var payers = ports.Select(port =>
            {
                var payer = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
                payer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                return payer;
            }).ToArray();
            string Body(int i) => $$"""{"amount":{{1_000 + i}},"description":"retry","reasonDescription":"19","destinationFirstname":"محمود","destinationLastname":"دولت آبادی","destinationNumber":"{{Destinations[i % Destinations.Length]}}"}""";
            var deadline = Stopwatch.StartNew();
            var statuses = new ConcurrentBag<int>();
            var final = new ConcurrentDictionary<string, Answer>();
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                var node = client % nodeCount;
                for (var n = 0; n < PaymentsPerClient; n++)
                {
                    var i = client * PaymentsPerClient + n;
                    var trackId = $"retrypol-{run}-{i}";
                    while (deadline.Elapsed < everythingWithin)
                    {
                        Answer answer;
                        try
                        {
                            answer = await payers[node].PostEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/instantPayment?trackId={trackId}", Body(i));
                        }
                        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                        {
                            // The node is down or was killed under this call: the same trackId again, on the next node.
                            node = (node + 1) % nodeCount;
                            await Task.Delay(50);
                            continue;
                        }
                        statuses.Add((int)answer.Status);
                        if (answer.Status is HttpStatusCode.OK or HttpStatusCode.BadRequest)
                        {
                            final[trackId] = answer;
                            break;
                        }
                        // 408 (outcome not known yet) or 503: the same trackId again, shortly.
                        await Task.Delay(100);
                    }
                }
            })).ToList();

            for (var kill = 0; kill < kills; kill++)
            {
                await Task.Delay(LoadBeforeKill);
                var victim = kill % nodeCount;
                nodes[victim].Kill();
                nodes[victim].Dispose();
                nodes[victim] = await GatewayProcess.StartAsync(gateway, ports[victim], output, 1, settings);
            }
            await Task.WhenAll(clients);

            var seen = statuses.GroupBy(status => status).OrderBy(group => group.Key).Select(group => $"{group.Key}×{group.Count()}");
            output.WriteLine($"{nodeCount} node(s), {kills} SIGKILLs; answers by status: {string.Join(' ', seen)}; payments answered: {final.Count}");
            Assert.DoesNotContain((int)HttpStatusCode.Conflict, statuses);
            Assert.DoesNotContain(statuses, status => status >= 500 && status != 503);
            Assert.Equal(Clients * PaymentsPerClient, final.Count);
            var audit = await WaitForNoOpenHoldsAsync(gateway, SettleLimit);
            audit.ShouldBalance().ShouldHaveNoOpenHolds();
            await using var db = await gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
            var calls = await db.CallRecords.AsNoTracking().Where(call => call.TrackId.StartsWith($"retrypol-{run}-")).ToListAsync();
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
                Assert.Equal(CallState.Completed, calls.Single(call => call.TrackId == trackId).State);
                done += expected == "DONE" ? 1 : 0;
            }
            output.WriteLine($"DONE {done}, FAILED {final.Count - done}");
            foreach (var payer in payers)
            {
                payer.Dispose();
            }
        }
        finally
        {
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
