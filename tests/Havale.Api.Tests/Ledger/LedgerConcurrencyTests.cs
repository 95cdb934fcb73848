using Havale.Api.Ledger;
using Havale.Domain;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// Many callers at once on one deposit, each with its own context and transaction, as parallel API requests would be:
/// the database alone decides who gets the money, and it must never hand out a rial twice.
/// </summary>
public abstract class LedgerConcurrencyTests(HavaleFactory gateway)
{
    private const int ParallelDebitCount = 200;
    private const int AffordableDebitCount = 73;
    private const long DebitRials = 1_000;
    private const int RacedHoldCount = 30;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    private readonly LedgerKit _kit = new(gateway.Services);

    /// <summary>Starts every operation at once and waits for all of them, within the time limit.</summary>
    private static async Task<LedgerResult[]> RaceAsync(int count, Func<int, Task<LedgerResult>> operation)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(index => Task.Run(async () =>
        {
            await start.Task;
            return await operation(index);
        })).ToArray();
        start.SetResult();
        return await Task.WhenAll(tasks).WaitAsync(TimeLimit);
    }

    [Fact]
    public async Task two_hundred_parallel_transfers_take_exactly_what_the_deposit_can_afford()
    {
        var payer = await _kit.OpenFundedDepositAsync(AffordableDebitCount * DebitRials);
        var payee = await _kit.OpenFundedDepositAsync(0);
        // Half the transfers go to an account with a lower id than the payer's (genesis) and half to one with a higher
        // id, so both orders in which LedgerBook touches the two rows run against each other.
        var genesis = await _kit.IdAsync(LedgerAccountCodes.Genesis);

        var results = await RaceAsync(ParallelDebitCount, index => _kit.TransferAsync(payer, index % 2 == 0 ? genesis : payee, DebitRials));

        Assert.Equal(AffordableDebitCount, results.Count(result => result.IsDone));
        Assert.All(results.Where(result => !result.IsDone), result => Assert.Equal(LedgerOutcome.InsufficientFunds, result.Outcome));
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        var payerAccount = audit.Accounts.Single(account => account.Id == payer);
        Assert.Equal(0, payerAccount.BalanceRials);
        Assert.Equal(AffordableDebitCount, audit.Transfers.Count(transfer => transfer.DebitAccountId == payer));
    }

    [Fact]
    public async Task two_hundred_parallel_holds_reserve_exactly_what_the_deposit_can_afford()
    {
        var payer = await _kit.OpenFundedDepositAsync(AffordableDebitCount * DebitRials);
        var clearing = await _kit.IdAsync(LedgerAccountCodes.Clearing(RailKind.Pol));

        var results = await RaceAsync(ParallelDebitCount, _ => _kit.HoldAsync(payer, clearing, DebitRials));

        Assert.Equal(AffordableDebitCount, results.Count(result => result.IsDone));
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        var payerAccount = audit.Accounts.Single(account => account.Id == payer);
        Assert.Equal(AffordableDebitCount * DebitRials, payerAccount.BalanceRials);
        Assert.Equal(AffordableDebitCount * DebitRials, payerAccount.PendingRials);

        // Voiding them all in parallel gives every rial back, once.
        var holds = results.Where(result => result.IsDone).Select(result => result.Transfer!.Id).ToArray();
        var voids = await RaceAsync(holds.Length, index => _kit.VoidAsync(holds[index]));
        Assert.All(voids, result => Assert.Equal(LedgerOutcome.Done, result.Outcome));
        var after = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(0, after.Accounts.Single(account => account.Id == payer).PendingRials);
    }

    [Fact]
    public async Task parallel_holds_and_transfers_on_one_deposit_never_overdraw_it()
    {
        var payer = await _kit.OpenFundedDepositAsync(AffordableDebitCount * DebitRials);
        var payee = await _kit.OpenFundedDepositAsync(0);

        var results = await RaceAsync(ParallelDebitCount, index => index % 2 == 0
            ? _kit.HoldAsync(payer, payee, DebitRials)
            : _kit.TransferAsync(payer, payee, DebitRials));

        Assert.Equal(AffordableDebitCount, results.Count(result => result.IsDone));
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        var payerAccount = audit.Accounts.Single(account => account.Id == payer);
        Assert.Equal(0, payerAccount.BalanceRials - payerAccount.PendingRials);
    }

    [Fact]
    public async Task a_post_and_a_void_racing_for_the_same_hold_have_exactly_one_winner()
    {
        var payer = await _kit.OpenFundedDepositAsync(RacedHoldCount * DebitRials);
        var payee = await _kit.OpenFundedDepositAsync(0);
        var holds = new List<long>();
        for (var i = 0; i < RacedHoldCount; i++)
        {
            holds.Add((await _kit.HoldAsync(payer, payee, DebitRials)).Transfer!.Id);
        }

        // Two posts and two voids per hold, all at once.
        var results = await RaceAsync(holds.Count * 4, index => (index % 4) switch
        {
            0 or 1 => _kit.PostAsync(holds[index / 4]),
            _ => _kit.VoidAsync(holds[index / 4]),
        });

        for (var hold = 0; hold < holds.Count; hold++)
        {
            var forThisHold = results.Skip(hold * 4).Take(4).ToArray();
            Assert.Single(forThisHold, result => result.IsDone);
            Assert.Equal(3, forThisHold.Count(result => result.Outcome == LedgerOutcome.HoldAlreadyResolved));
        }
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        var posts = audit.Transfers.Count(transfer => transfer.Kind == TransferKind.PostPending && holds.Contains(transfer.PendingId!.Value));
        var voids = audit.Transfers.Count(transfer => transfer.Kind == TransferKind.VoidPending && holds.Contains(transfer.PendingId!.Value));
        Assert.Equal(RacedHoldCount, posts + voids);
        var payerAccount = audit.Accounts.Single(account => account.Id == payer);
        var payeeAccount = audit.Accounts.Single(account => account.Id == payee);
        Assert.Equal(0, payerAccount.PendingRials);
        Assert.Equal(posts * DebitRials, payeeAccount.BalanceRials);
        Assert.Equal((RacedHoldCount - posts) * DebitRials, payerAccount.BalanceRials);
    }
}

public sealed class LedgerConcurrencyTests_on_sqlite(SqliteGateway gateway) : LedgerConcurrencyTests(gateway), IClassFixture<SqliteGateway>;

public sealed class LedgerConcurrencyTests_on_postgres(PostgresGateway gateway) : LedgerConcurrencyTests(gateway), IClassFixture<PostgresGateway>;
