using System.Globalization;
using Havale.Api.Ledger;
using Havale.Api.Storage;
using Havale.Domain;
using Xunit.Abstractions;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// Random sequences of transfers, holds, posts and voids against the real LedgerBook, checked step by step against a
/// model in C# of what every balance should be. The seed is printed; set HAVALE_LEDGER_SEED to replay a failure.
/// </summary>
public abstract class LedgerPropertyTests(HavaleFactory gateway, ITestOutputHelper output)
{
    private const string SeedVariable = "HAVALE_LEDGER_SEED";
    private const int StepCount = 3_000;
    private const int DepositCount = 6;
    private const int ModelComparisonEverySteps = 50;
    private const int FullAuditEverySteps = 1_000;
    private const long OpeningBalanceRialsMax = 2_000_000;
    private const long AmountRialsMax = 600_000;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(90);

    private readonly LedgerKit _kit = new(gateway.Services);

    private sealed class ModelLedgerAccount(long id, string name, bool allowsNegative, long balanceRials)
    {
        public long Id { get; } = id;
        public string Name { get; } = name;
        public bool AllowsNegative { get; } = allowsNegative;
        public long BalanceRials { get; set; } = balanceRials;
        public long PendingRials { get; set; }
        public bool CanAfford(long amountRials) => AllowsNegative || BalanceRials - PendingRials >= amountRials;
    }

    private sealed class ModelHold(long id, ModelLedgerAccount debit, ModelLedgerAccount credit, long amountRials)
    {
        public long Id { get; } = id;
        public ModelLedgerAccount Debit { get; } = debit;
        public ModelLedgerAccount Credit { get; } = credit;
        public long AmountRials { get; } = amountRials;
        public bool IsResolved { get; set; }
    }

    private sealed class Model
    {
        public List<ModelLedgerAccount> Accounts { get; } = [];
        public Dictionary<long, ModelHold> Holds { get; } = [];
        public List<long> OtherTransferIds { get; } = [];
        public Dictionary<string, int> Counts { get; } = [];

        public void Count(string what) => Counts[what] = Counts.GetValueOrDefault(what) + 1;
    }

    [Fact]
    public async Task random_transfers_holds_posts_and_voids_keep_every_ledger_invariant()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"{SeedVariable}={seed} ({gateway.Database})");
        var random = new Random(seed);
        var model = await OpenAccountsAsync(random);
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (var step = 1; step <= StepCount; step++)
        {
            Assert.True(started.Elapsed < TimeLimit, $"seed {seed}: only {step} steps in {TimeLimit.TotalSeconds} s");
            var description = await TakeRandomStepAsync(random, model);
            if (step % ModelComparisonEverySteps == 0)
            {
                await CompareWithDatabaseAsync(model, $"seed {seed}, after step {step} ({description})");
            }
            if (step % FullAuditEverySteps == 0)
            {
                (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
            }
        }

        await CompareWithDatabaseAsync(model, $"seed {seed}, at the end");
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(model.Holds.Values.Count(hold => !hold.IsResolved), audit.OpenHolds.Count);
        output.WriteLine(string.Join(", ", model.Counts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}")));
        // A run that never refused, never double-resolved or never rolled back would prove little.
        foreach (var kind in new[] { "transfer refused", "hold refused", "resolved twice", "hold not found", "rolled back" })
        {
            Assert.True(model.Counts.GetValueOrDefault(kind) > 0, $"seed {seed}: no '{kind}' step in {StepCount}");
        }
    }

    private async Task<Model> OpenAccountsAsync(Random random)
    {
        var model = new Model();
        var before = await LedgerAudit.ReadAsync(gateway.Services);
        foreach (var code in new[] { LedgerAccountCodes.Genesis, LedgerAccountCodes.Clearing(RailKind.Pol), LedgerAccountCodes.Bank("012") })
        {
            var account = before.Account(code);
            model.Accounts.Add(new ModelLedgerAccount(account.Id, code, account.AllowsNegative, account.BalanceRials));
        }
        var genesis = model.Accounts[0];
        for (var i = 0; i < DepositCount; i++)
        {
            // Some deposits start empty, so that refusals happen from the first step.
            var openingRials = i == 0 ? 0 : random.NextInt64(1, OpeningBalanceRialsMax + 1);
            var id = await _kit.OpenFundedDepositAsync(openingRials);
            genesis.BalanceRials -= openingRials;
            model.Accounts.Add(new ModelLedgerAccount(id, $"deposit {i}", allowsNegative: false, openingRials));
        }
        return model;
    }

    private async Task<string> TakeRandomStepAsync(Random random, Model model)
    {
        var roll = random.Next(100);
        // Some refused operations are committed anyway: a refusal must leave nothing behind, whatever the caller does next.
        var commitsRefusals = random.Next(2) == 0;
        if (roll < 35)
        {
            var (debit, credit, amountRials) = PickMovement(random, model);
            var result = await RunAsync(db => _kit.Book.TransferAsync(db, debit.Id, credit.Id, Rials.FromTrusted(amountRials), LedgerKit.TestOrigin,
                CancellationToken.None), commitsRefusals);
            var expected = debit.CanAfford(amountRials) ? LedgerOutcome.Done : LedgerOutcome.InsufficientFunds;
            var description = $"transfer {amountRials} from {debit.Name} to {credit.Name}";
            Assert.True(expected == result.Outcome, $"{description}: expected {expected}, got {result.Outcome}");
            if (result.IsDone)
            {
                debit.BalanceRials -= amountRials;
                credit.BalanceRials += amountRials;
                model.OtherTransferIds.Add(result.Transfer!.Id);
            }
            model.Count(result.IsDone ? "transfer" : "transfer refused");
            return description;
        }
        if (roll < 60)
        {
            var (debit, credit, amountRials) = PickMovement(random, model);
            var result = await RunAsync(db => _kit.Book.HoldAsync(db, debit.Id, credit.Id, Rials.FromTrusted(amountRials), LedgerKit.TestOrigin, null,
                CancellationToken.None), commitsRefusals);
            var expected = debit.CanAfford(amountRials) ? LedgerOutcome.Done : LedgerOutcome.InsufficientFunds;
            var description = $"hold {amountRials} from {debit.Name} for {credit.Name}";
            Assert.True(expected == result.Outcome, $"{description}: expected {expected}, got {result.Outcome}");
            if (result.IsDone)
            {
                debit.PendingRials += amountRials;
                model.Holds.Add(result.Transfer!.Id, new ModelHold(result.Transfer.Id, debit, credit, amountRials));
            }
            model.Count(result.IsDone ? "hold" : "hold refused");
            return description;
        }
        if (roll < 95)
        {
            var isPost = roll < 78;
            var pendingId = PickHoldId(random, model);
            var result = await RunAsync(db => isPost
                ? _kit.Book.PostPendingAsync(db, pendingId, null, CancellationToken.None)
                : _kit.Book.VoidPendingAsync(db, pendingId, "property test", CancellationToken.None), commitsRefusals);
            var hold = model.Holds.GetValueOrDefault(pendingId);
            var expected = hold is null ? LedgerOutcome.HoldNotFound
                : hold.IsResolved ? LedgerOutcome.HoldAlreadyResolved
                : LedgerOutcome.Done;
            var description = $"{(isPost ? "post" : "void")} transfer {pendingId}";
            Assert.True(expected == result.Outcome, $"{description}: expected {expected}, got {result.Outcome}");
            if (result.IsDone)
            {
                hold!.IsResolved = true;
                hold.Debit.PendingRials -= hold.AmountRials;
                if (isPost)
                {
                    hold.Debit.BalanceRials -= hold.AmountRials;
                    hold.Credit.BalanceRials += hold.AmountRials;
                }
                model.OtherTransferIds.Add(result.Transfer!.Id);
            }
            model.Count(result.Outcome switch
            {
                LedgerOutcome.Done => isPost ? "post" : "void",
                LedgerOutcome.HoldAlreadyResolved => "resolved twice",
                LedgerOutcome.HoldNotFound => "hold not found",
                LedgerOutcome.InsufficientFunds => "impossible",
            });
            return description;
        }
        await RollBackSeveralAsync(random, model);
        model.Count("rolled back");
        return "several operations rolled back together";
    }

    /// <summary>Several operations in one transaction that is then rolled back: none of them may leave a trace.</summary>
    private async Task RollBackSeveralAsync(Random random, Model model)
    {
        await using var db = await _kit.NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var operations = random.Next(1, 4);
        for (var i = 0; i < operations; i++)
        {
            var (debit, credit, amountRials) = PickMovement(random, model);
            _ = random.Next(2) == 0
                ? await _kit.Book.TransferAsync(db, debit.Id, credit.Id, Rials.FromTrusted(amountRials), LedgerKit.TestOrigin, CancellationToken.None)
                : await _kit.Book.HoldAsync(db, debit.Id, credit.Id, Rials.FromTrusted(amountRials), LedgerKit.TestOrigin, null, CancellationToken.None);
        }
        var openHold = model.Holds.Values.FirstOrDefault(hold => !hold.IsResolved);
        if (openHold is not null)
        {
            _ = await _kit.Book.PostPendingAsync(db, openHold.Id, null, CancellationToken.None);
        }
        await transaction.RollbackAsync();
    }

    private async Task<LedgerResult> RunAsync(Func<HavaleDb, Task<LedgerResult>> operation, bool commitsRefusals)
    {
        await using var db = await _kit.NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await operation(db);
        if (result.IsDone || commitsRefusals)
        {
            await transaction.CommitAsync();
        }
        return result;
    }

    private static (ModelLedgerAccount Debit, ModelLedgerAccount Credit, long AmountRials) PickMovement(Random random, Model model)
    {
        // Genesis rarely pays, or money would only grow; the deposits trade among themselves and with the system accounts.
        var candidates = random.Next(10) == 0 ? model.Accounts : model.Accounts.Skip(1).ToList();
        var debit = candidates[random.Next(candidates.Count)];
        ModelLedgerAccount credit;
        do
        {
            credit = model.Accounts[random.Next(model.Accounts.Count)];
        }
        while (credit.Id == debit.Id);
        var availableRials = debit.BalanceRials - debit.PendingRials;
        var amountRials = random.Next(4) switch
        {
            // Exactly the available balance, and one rial more: the edge the guard must get right.
            0 when availableRials > 0 => availableRials,
            1 when availableRials >= 0 => availableRials + 1,
            _ => random.NextInt64(1, AmountRialsMax + 1),
        };
        return (debit, credit, amountRials);
    }

    private static long PickHoldId(Random random, Model model)
    {
        var roll = random.Next(10);
        if (model.Holds.Count == 0 || roll == 0)
        {
            // A transfer that is not a hold, or an id nobody has used yet.
            return model.OtherTransferIds.Count > 0 && random.Next(2) == 0
                ? model.OtherTransferIds[random.Next(model.OtherTransferIds.Count)]
                : 1_000_000_000 + random.Next(1_000);
        }
        var open = model.Holds.Values.Where(hold => !hold.IsResolved).ToList();
        // Mostly open holds; sometimes one already resolved, which must be refused.
        return open.Count > 0 && roll < 8
            ? open[random.Next(open.Count)].Id
            : model.Holds.Keys.ElementAt(random.Next(model.Holds.Count));
    }

    private async Task CompareWithDatabaseAsync(Model model, string when)
    {
        var audit = await LedgerAudit.ReadAsync(gateway.Services);
        Assert.Equal(0, audit.SumRials);
        foreach (var expected in model.Accounts)
        {
            var actual = audit.Accounts.Single(account => account.Id == expected.Id);
            Assert.True(expected.BalanceRials == actual.BalanceRials,
                $"{when}: {expected.Name} should have {expected.BalanceRials} rials, has {actual.BalanceRials}");
            Assert.True(expected.PendingRials == actual.PendingRials,
                $"{when}: {expected.Name} should hold {expected.PendingRials} rials, holds {actual.PendingRials}");
            Assert.True(actual.AllowsNegative || actual.BalanceRials - actual.PendingRials >= 0, $"{when}: {expected.Name} is overdrawn");
        }
    }
}

public sealed class LedgerPropertyTests_on_sqlite(SqliteGateway gateway, ITestOutputHelper output)
    : LedgerPropertyTests(gateway, output), IClassFixture<SqliteGateway>;

public sealed class LedgerPropertyTests_on_postgres(PostgresGateway gateway, ITestOutputHelper output)
    : LedgerPropertyTests(gateway, output), IClassFixture<PostgresGateway>;
