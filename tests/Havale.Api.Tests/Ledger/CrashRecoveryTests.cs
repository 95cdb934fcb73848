using System.Diagnostics;
using System.Net.Sockets;
using Havale.Api.CallLog;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Ledger;
using Havale.Api.Rails;
using Havale.Api.Sandbox;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// The real gateway as a child process, killed with SIGKILL while it settles a Paya cycle against slow banks and with
/// Pol holds in every state a crash can leave, then restarted: once it is up, no hold is pending, every hold is
/// resolved exactly once, the ledger balances, and what each bank's ledger account received is exactly what that
/// simulated bank accepted.
/// </summary>
public abstract class CrashRecoveryTests(QuietRailsGateway gateway, ITestOutputHelper output)
{
    private const string SourceDeposit = "0201648361007";
    private const int PayaHoldCount = 24;
    private const int PolHoldsPerStateCount = 4;
    private const int SlowBankLatencyMs = 1_500;
    // Start-up (migrations, seed, recovery, the JIT) on a machine shared with other test processes has been seen to take 26 s.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(4);

    /// <summary>Accepting, rejecting (blocked account) and non-Pol destinations, so every kind of outcome is in flight.</summary>
    private static readonly string[] PayaDestinations =
    [
        "IR370120000000003141592653", "IR440610000000003141592761", "IR060180000000003141614643", "IR750160000000003141604511",
    ];

    private static readonly string[] PolDestinations = ["IR780700000000003141593063", "IR900560000000003141594249"];

    private readonly SandboxDriver _sandbox = new(gateway);
    private readonly LedgerKit _kit = new(gateway.Services);

    [Fact]
    public async Task a_gateway_killed_while_settling_loses_no_money_and_leaves_no_hold_pending_after_restart()
    {
        var started = Stopwatch.StartNew();
        var day = _sandbox.NextFreeDayTehran();
        // Set in this process, saved in the database: the child restores it at start, so both read the same clock.
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 0, 0));
        var rails = gateway.Services.GetRequiredService<PaymentRails>();
        var holdIds = new List<long>();
        for (var i = 0; i < PayaHoldCount; i++)
        {
            holdIds.Add(await HoldForPayaAsync(rails, PayaDestinations[i % PayaDestinations.Length], 10_000 + i));
        }

        var port = FreeLoopbackPort();
        using (var first = await GatewayProcess.StartAsync(gateway, port, output, resolveIntervalSeconds: 3600))
        {
            foreach (var bankCode in PayaDestinations.Concat(PolDestinations).Select(iban => Iban.Parse(iban).BankCode).Distinct())
            {
                (await first.SetBankAsync(bankCode, SlowBankLatencyMs)).ShouldSucceed();
            }
            holdIds.AddRange(await CreatePolHoldsAsCrashesLeaveThemAsync());

            // Past the 13:45 cycle: the child settles one slow Paya payment after another until it is killed mid-way.
            var settling = first.Client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", $$"""{"now": "{{day:yyyy-MM-dd}}T13:45:00+03:30"}""");
            await Task.WhenAny(settling, Task.Delay(KillAfter));
            Assert.False(settling.IsCompleted, "the cycle was settled before the kill; raise the latency or the number of holds");
            first.Kill();
            try
            {
                await settling;
            }
            catch (HttpRequestException)
            {
                // Expected: the connection died with the process.
            }
        }

        var atTheCrash = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        output.WriteLine($"open holds at the crash: {atTheCrash.OpenHolds.Count} of {holdIds.Count}");
        Assert.NotEmpty(atTheCrash.OpenHolds);
        var banks = gateway.Services.GetRequiredService<SimulatedBanks>();
        foreach (var bankCode in PayaDestinations.Concat(PolDestinations).Select(iban => Iban.Parse(iban).BankCode).Distinct())
        {
            await banks.SetBehaviourAsync(bankCode, BankMode.Normal, 0, CancellationToken.None);
        }

        using (var second = await GatewayProcess.StartAsync(gateway, port, output, resolveIntervalSeconds: 1))
        {
            // Recovery ran before the gateway listened; a clock call runs anything still due once more.
            (await second.Client.CallAsync(HttpMethod.Put, "/sandbox/v1/clock", $$"""{"now": "{{day:yyyy-MM-dd}}T13:45:01+03:30"}""")).ShouldSucceed();
            var audit = await WaitForNoOpenHoldsAsync();

            audit.ShouldBalance().ShouldHaveNoOpenHolds();
            foreach (var holdId in holdIds)
            {
                Assert.Single(audit.Transfers, transfer => transfer.PendingId == holdId);
            }
            Assert.Equal(0, audit.BalanceRials(LedgerAccountCodes.Clearing(RailKind.Pol)));
            Assert.Equal(0, audit.BalanceRials(LedgerAccountCodes.Clearing(RailKind.Paya)));
            await ShouldMatchWhatTheBanksAcceptedAsync(audit);
            var ledger = (await second.Client.GetEnvelopeAsync("/sandbox/v1/ledger")).ShouldSucceed();
            Assert.Equal(0, ledger.Result.GetProperty("sumRials").GetInt64());
        }
        output.WriteLine($"crash test took {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// SIGKILL while Pol payments are being batched: each batch is one transaction, so after the restart every hold has
    /// its call admitted beside it, the day's caps equal exactly what the holds that were not voided took, and every
    /// payment a client was told was DONE is posted.
    /// </summary>
    [Fact]
    public async Task a_gateway_killed_in_the_middle_of_pol_batches_leaves_each_batch_whole()
    {
        var day = _sandbox.NextFreeDayTehran();
        await _sandbox.MoveClockToAsync(SandboxDriver.Tehran(day, 12, 0, 0));
        var port = FreeLoopbackPort();
        var run = Guid.NewGuid().ToString("N")[..8];
        const int PaymentsMax = 2_000;
        var answers = new List<Task<Answer>>();
        using (var first = await GatewayProcess.StartAsync(gateway, port, output, 3600, "--Havale:Pol:DailyPaymentsToOneBeneficiaryMax=10000"))
        {
            foreach (var iban in PolDestinations)
            {
                (await first.SetBankAsync(Iban.Parse(iban).BankCode, 200)).ShouldSucceed();
            }
            var token = (await first.Client.CallAsync(HttpMethod.Post, "/sandbox/v1/tokens",
                $$"""{"grant_type":"authorization_code","nid":"{{Seed.DemoNid}}","deposits":["{{Seed.DemoDeposit}}"],"scopes":"oak:instant-payment:post","limit":50000000,"bank":"062"}"""))
                .ShouldSucceed().Result.GetProperty("value").GetString()!;
            using var payer = new HttpClient { BaseAddress = first.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            payer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            string Body(int i) => $$"""{"amount":{{1_000 + i}},"description":"crash","reasonDescription":"19","destinationFirstname":"محمود","destinationLastname":"دولت آبادی","destinationNumber":"{{PolDestinations[i % PolDestinations.Length]}}"}""";
            // One payment first, so the child's code is compiled and the kill lands among batches, not before them.
            (await payer.PostEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/instantPayment?trackId=crashpol-{run}-warm", Body(0))).ShouldSucceed();
            // 16 clients paying one payment after another, so that at the kill payments are in every step at once.
            var next = -1;
            var answered = 0;
            var senders = Enumerable.Range(0, 16).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < PaymentsMax)
                {
                    var call = payer.PostEnvelopeAsync($"/oak/v2/clients/{Seed.DemoClient}/instantPayment?trackId=crashpol-{run}-{i}", Body(i));
                    lock (answers)
                    {
                        answers.Add(call);
                    }
                    await call;
                    Interlocked.Increment(ref answered);
                }
            }).ToList();
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref answered) < 60 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(10);
            }
            first.Kill();
            await Task.WhenAll(senders.Select(sender => sender.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
        var told = new List<Answer>();
        foreach (var answer in answers)
        {
            try
            {
                told.Add(await answer);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Cut off by the kill: the client was told nothing.
            }
        }
        var banks = gateway.Services.GetRequiredService<SimulatedBanks>();
        foreach (var iban in PolDestinations)
        {
            await banks.SetBehaviourAsync(Iban.Parse(iban).BankCode, BankMode.Normal, 0, CancellationToken.None);
        }

        using (var second = await GatewayProcess.StartAsync(gateway, port, output, resolveIntervalSeconds: 1))
        {
            var audit = await WaitForNoOpenHoldsAsync();
            audit.ShouldBalance().ShouldHaveNoOpenHolds();
            var holds = audit.Transfers.Where(transfer => transfer.Kind == TransferKind.Pending
                && transfer.TrackId?.StartsWith($"crashpol-{run}-", StringComparison.Ordinal) == true).ToList();
            output.WriteLine($"answers before the kill: {told.Count} of {answers.Count}; holds: {holds.Count}");
            Assert.NotEmpty(holds);
            Assert.True(told.Count < answers.Count, "every payment was answered before the kill; the kill came too late to cut a batch");
            await using var db = await _kit.NewDbAsync();
            var calls = await db.CallRecords.AsNoTracking().Where(call => call.TrackId.StartsWith($"crashpol-{run}-")).ToListAsync();
            // The call's admission and its hold are one commit: no hold without its call.
            Assert.All(holds, hold => Assert.Single(calls, call => call.TrackId == hold.TrackId));
            Assert.All(holds, hold => Assert.Equal(1, holds.Count(other => other.TrackId == hold.TrackId)));
            // The caps and the holds are one commit, and every void gave its share back.
            var kept = holds.Where(hold => audit.Transfers.Single(resolution => resolution.PendingId == hold.Id).Kind == TransferKind.PostPending).ToList();
            var tehranDay = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var sent = await db.PolSenderDays.AsNoTracking().Where(row => row.Nid == Seed.DemoNid && row.TehranDay == tehranDay).SumAsync(row => row.SentRials);
            Assert.Equal(kept.Sum(hold => hold.AmountRials), sent);
            var counted = await db.PolBeneficiaryDays.AsNoTracking().Where(row => row.Nid == Seed.DemoNid && row.TehranDay == tehranDay).SumAsync(row => row.Payments);
            Assert.Equal(kept.Count, counted);
            // Whoever was told DONE was paid.
            foreach (var done in told.Where(answer => answer.Status == HttpStatusCode.OK && answer.Raw.Contains("\"state\":\"DONE\"", StringComparison.Ordinal)))
            {
                var hold = Assert.Single(holds, hold => hold.TrackId == done.Str("trackId"));
                Assert.Contains(kept, posted => posted.Id == hold.Id);
            }
        }
    }

    /// <summary>Issue #10, item 1: see <see cref="Reliability.KillsUnderRetries"/>; here one node, killed and restarted.</summary>
    [Fact]
    public Task pol_payments_retried_through_repeated_sigkills_each_get_the_answer_the_ledger_agrees_with()
        => Reliability.KillsUnderRetries.RunAsync(gateway, output, nodeCount: 1);

    private async Task<long> HoldForPayaAsync(PaymentRails rails, string iban, long amountRials)
    {
        await using var db = await _kit.NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var held = await rails.HoldForPayaAsync(db, DepositNumber.Parse(SourceDeposit), Iban.Parse(iban), Rials.FromTrusted(amountRials),
            new TransferOrigin(RailKind.Paya, TrackId: "crash-test"), CancellationToken.None);
        Assert.Equal(RailOutcome.Done, held.Outcome);
        await transaction.CommitAsync();
        return held.TransferId!.Value;
    }

    /// <summary>
    /// Pol holds as a crash between two steps leaves them: committed but never sent; accepted by the bank but never
    /// posted; refused by the bank but never voided.
    /// </summary>
    private async Task<List<long>> CreatePolHoldsAsCrashesLeaveThemAsync()
    {
        var sourceId = await _kit.IdAsync(SourceDeposit);
        var clearingId = await _kit.IdAsync(LedgerAccountCodes.Clearing(RailKind.Pol));
        var holdIds = new List<long>();
        for (var i = 0; i < PolHoldsPerStateCount * 3; i++)
        {
            var iban = Iban.Parse(PolDestinations[i % PolDestinations.Length]);
            var reference = $"PLCRASH{i:D2}" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            var amountRials = 50_000 + i;
            await using var db = await _kit.NewDbAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var hold = await _kit.Book.HoldAsync(db, sourceId, clearingId, Rials.FromTrusted(amountRials),
                new TransferOrigin(RailKind.Pol, TrackId: "crash-test", Reference: reference, Counterparty: iban.Value), null, CancellationToken.None);
            Assert.True(hold.IsDone);
            var state = i % 3;
            if (state != 0)
            {
                db.SimulatedBankPayments.Add(new SimulatedBankPayment
                {
                    Reference = reference,
                    BankCode = iban.BankCode,
                    Iban = iban.Value,
                    AmountRials = amountRials,
                    IsAccepted = state == 1,
                    Reason = state == 1 ? null : "destination bank rejected the payment",
                    IsAnswered = true,
                    ReceivedUtc = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            }
            await transaction.CommitAsync();
            holdIds.Add(hold.Transfer!.Id);
        }
        return holdIds;
    }

    private Task<LedgerAudit> WaitForNoOpenHoldsAsync() => Reliability.KillsUnderRetries.WaitForNoOpenHoldsAsync(gateway, SettleLimit);

    /// <summary>No money created or destroyed: each bank's ledger account holds exactly what that bank says it accepted.</summary>
    private async Task ShouldMatchWhatTheBanksAcceptedAsync(LedgerAudit audit)
    {
        await using var db = await _kit.NewDbAsync();
        var accepted = (await db.SimulatedBankPayments.AsNoTracking().Where(payment => payment.IsAccepted)
                .Select(payment => new { payment.BankCode, payment.AmountRials }).ToListAsync())
            .GroupBy(payment => payment.BankCode)
            .ToDictionary(group => group.Key, group => group.Sum(payment => payment.AmountRials));
        Assert.NotEmpty(accepted);
        foreach (var account in audit.Accounts.Where(account => account.Kind == LedgerAccountKind.ExternalBank))
        {
            var bankCode = account.Code["bank:".Length..];
            Assert.True(accepted.GetValueOrDefault(bankCode) == account.BalanceRials,
                $"{account.Code} has {account.BalanceRials} rials; the bank accepted {accepted.GetValueOrDefault(bankCode)}");
        }
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The gateway's own binary (copied beside the tests) run with dotnet, on the test's database.</summary>
    internal sealed class GatewayProcess : IDisposable
    {
        private readonly Process _process;
        private readonly Queue<string> _lastLines = new();

        private GatewayProcess(Process process, int port)
        {
            _process = process;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            Client.DefaultRequestHeaders.Authorization = SandboxDriver.BasicCredentials(SandboxDriver.ClientId, SandboxDriver.ClientSecret);
        }

        public HttpClient Client { get; }

        public static Task<GatewayProcess> StartAsync(HavaleFactory database, int port, ITestOutputHelper output, int resolveIntervalSeconds,
            params string[] settings)
            => StartInHomeAsync(database, port, output, resolveIntervalSeconds, null, settings);

        /// <summary>
        /// Like <see cref="StartAsync"/>, with HOME set to <paramref name="homeFolder"/>: a node with its own home keeps
        /// nothing of its own in a folder another node on this machine also reads (ASP.NET Core's default key folder
        /// is under HOME), as on two machines.
        /// </summary>
        public static async Task<GatewayProcess> StartInHomeAsync(HavaleFactory database, int port, ITestOutputHelper output,
            int resolveIntervalSeconds, string? homeFolder, params string[] settings)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (homeFolder is not null)
            {
                start.Environment["HOME"] = homeFolder;
            }
            foreach (var argument in new[]
                     {
                         Path.Combine(AppContext.BaseDirectory, "Havale.Api.dll"),
                         "--urls", $"http://127.0.0.1:{port}",
                         $"--Database:Provider={(database.Database == TestDatabase.Postgres ? "postgres" : "sqlite")}",
                         $"--ConnectionStrings:Havale={database.ConnectionString}",
                         $"--Havale:Rails:ResolveIntervalSeconds={resolveIntervalSeconds}",
                         "--Logging:LogLevel:Default=Warning",
                     }.Concat(settings))
            {
                start.ArgumentList.Add(argument);
            }
            var gatewayProcess = new GatewayProcess(Process.Start(start)!, port);
            gatewayProcess._process.OutputDataReceived += (_, line) => gatewayProcess.Remember(line.Data);
            gatewayProcess._process.ErrorDataReceived += (_, line) => gatewayProcess.Remember(line.Data);
            gatewayProcess._process.BeginOutputReadLine();
            gatewayProcess._process.BeginErrorReadLine();
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < StartLimit)
            {
                if (gatewayProcess._process.HasExited)
                {
                    break;
                }
                try
                {
                    using var health = await gatewayProcess.Client.GetAsync("/health");
                    if (health.IsSuccessStatusCode)
                    {
                        output.WriteLine($"gateway up on port {port} after {waited.Elapsed.TotalSeconds:F1} s");
                        return gatewayProcess;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet: start-up (migrations, seed, recovery) runs before Kestrel binds.
                }
                await Task.Delay(100);
            }
            var lines = gatewayProcess.LastLines();
            gatewayProcess.Dispose();
            throw new InvalidOperationException($"the gateway did not come up within {StartLimit.TotalSeconds} s:\n{lines}");
        }

        public Task<Answer> SetBankAsync(string bankCode, int latencyMs)
            => Client.CallAsync(HttpMethod.Put, $"/sandbox/v1/banks/{bankCode}/behaviour", $$"""{"mode": "normal", "latencyMs": {{latencyMs}}}""");

        /// <summary>SIGKILL on Linux: no shutdown hook, no flush, no finally block runs in the gateway.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            Assert.True(_process.WaitForExit(10_000), "the killed gateway did not exit");
        }

        private void Remember(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > 40)
                {
                    _lastLines.Dequeue();
                }
            }
        }

        private string LastLines()
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
            Client.Dispose();
            _process.Dispose();
        }
    }
}

public sealed class CrashRecoveryTests_on_sqlite(QuietRailsSqliteGateway gateway, ITestOutputHelper output)
    : CrashRecoveryTests(gateway, output), IClassFixture<QuietRailsSqliteGateway>;

public sealed class CrashRecoveryTests_on_postgres(QuietRailsPostgresGateway gateway, ITestOutputHelper output)
    : CrashRecoveryTests(gateway, output), IClassFixture<QuietRailsPostgresGateway>;
