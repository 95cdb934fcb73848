// Ledger throughput: posted transfers per second through LedgerBook, each in its own context and database transaction
// (as an API request makes them), between many deposits, with N concurrent workers for a fixed time.
//
//   dotnet run -c Release --project bench/Havale.Bench -- sqlite|postgres [seconds] [workers,...]
//
// postgres needs HAVALE_TEST_POSTGRES (bench/run-ledger.sh starts a throwaway server); a fresh database is created
// on it and dropped afterwards. sqlite uses a fresh file in the temp folder. Prints one markdown table row per run.
using System.Diagnostics;
using System.Globalization;
using Havale.Api.Ledger;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

const int DepositCount = 1_000;
const long OpeningBalanceRials = 1_000_000_000;
const int WorkersMax = 256;
const int SecondsMax = 600;

if (args.Length < 1 || args[0] is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("usage: Havale.Bench sqlite|postgres [seconds] [workers,...]");
    return 2;
}
var store = args[0];
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var workerCounts = (args.Length > 2 ? args[2] : "1,8,32").Split(',').Select(text => int.Parse(text, CultureInfo.InvariantCulture)).ToArray();
if (seconds is < 1 or > SecondsMax || workerCounts.Any(workers => workers is < 1 or > WorkersMax))
{
    Console.Error.WriteLine($"seconds must be 1 to {SecondsMax}, workers 1 to {WorkersMax}");
    return 2;
}

var (connectionString, cleanUp) = store == "postgres"
    ? BenchStores.CreatePostgresDatabase("havale_bench_", "bench/run-ledger.sh", poolSizeMax: WorkersMax + 4)
    : BenchStores.CreateSqliteFile("havale-bench-");
try
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:Provider"] = store,
        ["ConnectionStrings:Havale"] = connectionString,
    }).Build();
    var services = new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddSingleton<LedgerBook>()
        .AddSingleton<LedgerAccounts>()
        .AddHavaleStorage(configuration)
        .BuildServiceProvider();
    await StorageSetup.MigrateAsync(services, CancellationToken.None);
    var dbFactory = services.GetRequiredService<IDbContextFactory<HavaleDb>>();
    var book = services.GetRequiredService<LedgerBook>();
    var deposits = await OpenDepositsAsync(dbFactory, services.GetRequiredService<LedgerAccounts>(), book);

    foreach (var workers in workerCounts)
    {
        var (transfers, refused, elapsed) = await RunAsync(dbFactory, book, deposits, workers, TimeSpan.FromSeconds(seconds));
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // A benchmark that broke the ledger would be measuring the wrong thing.
            var sumRials = await db.LedgerAccounts.SumAsync(account => account.BalanceRials);
            Invariant.Holds(sumRials == 0);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| LedgerBook.TransferAsync | {store} | {workers} | {elapsed.TotalSeconds:F1} | {transfers} | {transfers / elapsed.TotalSeconds:F0} | {refused} |"));
    }
    return 0;
}
finally
{
    cleanUp();
}

static async Task<long[]> OpenDepositsAsync(IDbContextFactory<HavaleDb> dbFactory, LedgerAccounts accounts, LedgerBook book)
{
    await using var db = await dbFactory.CreateDbContextAsync();
    await using var transaction = await db.Database.BeginTransactionAsync();
    await accounts.EnsureSystemAccountsAsync(db, CancellationToken.None);
    var genesisId = await accounts.IdAsync(db, LedgerAccountCodes.Genesis, CancellationToken.None);
    var ids = new long[DepositCount];
    for (var i = 0; i < DepositCount; i++)
    {
        ids[i] = await accounts.OpenDepositAsync(db, DepositNumber.Parse((7_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture)), CancellationToken.None);
        var funded = await book.TransferAsync(db, genesisId, ids[i], Rials.FromTrusted(OpeningBalanceRials),
            new TransferOrigin(RailKind.Genesis, Note: "bench opening balance"), CancellationToken.None);
        Invariant.Holds(funded.IsDone);
    }
    await transaction.CommitAsync();
    return ids;
}

static async Task<(long Transfers, long Refused, TimeSpan Elapsed)> RunAsync(IDbContextFactory<HavaleDb> dbFactory, LedgerBook book,
    long[] deposits, int workers, TimeSpan duration)
{
    long transfers = 0;
    long refused = 0;
    var origin = new TransferOrigin(RailKind.Internal, ClientId: "bench", Note: "bench");
    var clock = Stopwatch.StartNew();
    var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (clock.Elapsed < duration)
        {
            var debit = deposits[random.Next(deposits.Length)];
            var credit = deposits[random.Next(deposits.Length)];
            if (debit == credit)
            {
                continue;
            }
            await using var db = await dbFactory.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var result = await book.TransferAsync(db, debit, credit, Rials.FromTrusted(random.Next(1, 1_000)), origin, CancellationToken.None);
            if (result.IsDone)
            {
                await transaction.CommitAsync();
                Interlocked.Increment(ref transfers);
            }
            else
            {
                Interlocked.Increment(ref refused);
            }
        }
    })).ToArray();
    await Task.WhenAll(tasks);
    return (transfers, refused, clock.Elapsed);
}
