// Kilid benchmark: orders of 1,000 destinations (half internal, half Paya) created, signed and paid over HTTP with a
// real authorization-code token, one after the other; the rest of a Paya cycle of N rows held through the rails as pay
// holds them; then the sandbox clock is moved past the cycle and PaymentRails.ResolveDueAsync settles it, timed alone.
//
//   bench/kilid/run.sh [paya rows in the cycle, default 100000] [HTTP orders, default 5]
//
// postgres needs HAVALE_TEST_POSTGRES (bench/kilid/run.sh starts a throwaway server); a fresh database is created on
// it and dropped afterwards. sqlite uses a fresh file in the temp folder. Prints markdown table rows.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Havale.Api.Ledger;
using Havale.Api.Platform;
using Havale.Api.Rails;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Havale.Kilid.Bench;

internal static class KilidBench
{
    private static async Task<int> Main(string[] args)
    {
        const int RowsPerOrder = 1_000;
        const int PayaRowsMax = 1_000_000;
        const int HttpOrdersMax = 100;
        const string Deposit = "0302876732315";
        const string Person = "0012345679";
        const string Internal = "0201648361007";
        const long RowRials = 10_000;
        string[] payaIbans =
        [
            "IR370120000000003141592653", "IR440610000000003141592761", "IR780700000000003141593063", "IR070190000000003141593559",
            "IR900560000000003141594249", "IR740780000000003141595133", "IR340170000000003141596211", "IR980570000000003141597483",
        ];

        if (args.Length < 1 || args[0] is not ("sqlite" or "postgres"))
        {
            Console.Error.WriteLine("usage: Havale.Kilid.Bench sqlite|postgres [paya rows in the cycle]");
            return 2;
        }
        var store = args[0];
        var payaRows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var httpOrders = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        if (httpOrders is < 1 or > HttpOrdersMax || payaRows < httpOrders * RowsPerOrder / 2 || payaRows > PayaRowsMax)
        {
            Console.Error.WriteLine($"orders must be 1 to {HttpOrdersMax}, paya rows at least 500 per order and at most {PayaRowsMax}");
            return 2;
        }

        var (connectionString, cleanUp) = store == "postgres"
            ? BenchStores.CreatePostgresDatabase("havale_kilid_bench_", "bench/kilid/run.sh")
            : BenchStores.CreateSqliteFile("havale-kilid-bench-");
        try
        {
            await using var gateway = new BenchGateway(store, connectionString);
            var sandbox = gateway.CreateClient();
            sandbox.Timeout = Timeout.InfiniteTimeSpan;
            sandbox.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("havale-demo:havale-demo-secret"u8));
            // A morning with no internal-transfer pause ahead: every hold made now settles in the 10:45 cycle.
            var tehran = TimeSpan.FromHours(3.5);
            var now = gateway.Services.GetRequiredService<HavaleClock>().GetUtcNow().ToOffset(tehran);
            var day = new DateTimeOffset(now.Year, now.Month, now.Day, 4, 0, 0, tehran).AddDays(1);
            await CallAsync(sandbox, HttpMethod.Put, "/sandbox/v1/clock", JsonSerializer.Serialize(new { now = day.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) }));
            var token = (await CallAsync(sandbox, HttpMethod.Post, "/sandbox/v1/tokens", JsonSerializer.Serialize(new
            {
                grant_type = "authorization_code", nid = Person, deposits = new[] { Deposit }, limit = 100_000_000, bank = "062",
                scopes = "kilid:request:create,kilid:request:get,kilid:request:sign,kilid:request:pay",
            }))).GetProperty("result").GetProperty("value").GetString()!;
            var client = gateway.CreateClient();
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var requests = $"/keylead/v2/clients/havale-demo/users/{Person}/deposits/{Deposit}/requests";

                var create = new List<double>();
            var sign = new List<double>();
            var pay = new List<double>();
            for (var index = 0; index < httpOrders; index++)
            {
                var rows = Enumerable.Range(0, RowsPerOrder).Select(row => row % 2 == 0
                    ? (object)new { amount = RowRials, number = Internal, description = $"ردیف {row}" }
                    : new { amount = RowRials, number = payaIbans[row % payaIbans.Length], name = "گیرنده آزمایشی", description = $"ردیف {row}" });
                var body = JsonSerializer.Serialize(new { destinations = rows, nationalCode = Person, note = $"سفارش {index}" });
                var watch = Stopwatch.StartNew();
                var order = (await CallAsync(client, HttpMethod.Post, $"{requests}?trackId=c{index}", body)).GetProperty("result").GetProperty("request").GetInt64();
                create.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                await CallAsync(client, HttpMethod.Post, $"{requests}/{order}/sign?trackId=s{index}");
                sign.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                var paid = await CallAsync(client, HttpMethod.Post, $"{requests}/{order}/pay?trackId=p{index}");
                pay.Add(watch.Elapsed.TotalMilliseconds);
                if (paid.GetProperty("result").GetProperty("status").GetString() != "inprogress")
                {
                    throw new InvalidOperationException("an order was not paid: " + paid);
                }
            }
            Row("create an order of 1,000 rows (HTTP)", httpOrders, create);
            Row("sign it (HTTP)", httpOrders, sign);
            Row("pay it: 500 internal posted + 500 Paya held, one transaction (HTTP)", httpOrders, pay);

            // The rest of the cycle is held the way pay holds it (PaymentRails.PayManyAsync, 1,000 to a transaction),
            // without HTTP and order rows: what is measured next is the settlement, not how the holds were made.
            var rails = gateway.Services.GetRequiredService<PaymentRails>();
            var dbFactory = gateway.Services.GetRequiredService<IDbContextFactory<HavaleDb>>();
            var toHold = payaRows - httpOrders * RowsPerOrder / 2;
            var holding = Stopwatch.StartNew();
            for (var held = 0; held < toHold;)
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
                var payments = new List<ManyPayment>(RowsPerOrder);
                var caller = new PaymentCaller("havale-demo", Person, $"bench-{held / RowsPerOrder}");
                for (var inBatch = 0; inBatch < RowsPerOrder && held < toHold; inBatch++, held++)
                {
                    payments.Add(new ManyPayment(null, Iban.Parse(payaIbans[held % payaIbans.Length]), Rials.FromTrusted(RowRials), null));
                }
                var result = await rails.PayManyAsync(db, DepositNumber.Parse(Deposit), caller, payments, CancellationToken.None);
                if (result.Outcome != RailOutcome.Done)
                {
                    throw new InvalidOperationException($"holds up to {held}: {result.Outcome}");
                }
                await transaction.CommitAsync();
            }
            holding.Stop();
            if (toHold > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| hold Paya rows, 1,000 to a transaction (PaymentRails.PayManyAsync, no HTTP) | {store} | {toHold} rows | {holding.Elapsed.TotalSeconds:F1} s total | {toHold / holding.Elapsed.TotalSeconds:F0} rows/s |"));
            }

            var clock = gateway.Services.GetRequiredService<HavaleClock>();
            clock.TrySetForward(new DateTimeOffset(day.Year, day.Month, day.Day, 10, 46, 0, tehran));
            var settle = Stopwatch.StartNew();
            var resolved = await rails.ResolveDueAsync(CancellationToken.None);
            settle.Stop();
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                // The ledger's own rule, not the open_holds index recovery reads: the bench checks recovery.
                var transfers = db.LedgerTransfers;
                var open = await transfers.CountAsync(transfer => transfer.Kind == TransferKind.Pending
                    && !transfers.Any(resolution => resolution.PendingId == transfer.Id));
                var sumRials = await db.LedgerAccounts.SumAsync(account => account.BalanceRials);
                if (resolved != payaRows || open != 0 || sumRials != 0)
                {
                    throw new InvalidOperationException($"settled {resolved} of {payaRows}, {open} holds open, ledger sum {sumRials}");
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| settle a Paya cycle (PaymentRails.ResolveDueAsync) | {store} | {payaRows} rows | {settle.Elapsed.TotalSeconds:F1} s total | {payaRows / settle.Elapsed.TotalSeconds:F0} rows/s |"));
            return 0;

            void Row(string what, int count, List<double> milliseconds)
            {
                var sorted = milliseconds.Order().ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {what} | {store} | {count} orders | median {sorted[sorted.Count / 2]:F0} ms, max {sorted[^1]:F0} ms | {RowsPerOrder * 1000 / sorted[sorted.Count / 2]:F0} rows/s |"));
            }
        }
        finally
        {
            cleanUp();
        }

        static async Task<JsonElement> CallAsync(HttpClient client, HttpMethod method, string uri, string? json = null)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode
                ? JsonDocument.Parse(text).RootElement.Clone()
                : throw new InvalidOperationException($"{method} {uri}: {(int)response.StatusCode} {text}");
        }
    }
}

/// <summary>The real gateway in process on the chosen store, sandbox mode, with the background resolver out of the way.</summary>
internal sealed class BenchGateway(string store, string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", store);
        builder.UseSetting("ConnectionStrings:Havale", connectionString);
        builder.UseSetting("Havale:Rails:ResolveIntervalSeconds", "3600");
        builder.UseSetting("Havale:Auth:TokenRequestsPerMinute", "100000");
        // Thousands of calls' trace lines would time the console, not the gateway; failures still throw.
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }
}
