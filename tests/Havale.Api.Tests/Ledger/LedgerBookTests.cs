using Havale.Api.Ledger;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Ledger;

/// <summary>The ledger's rules one at a time, on the real database: guards, holds, single resolution, CHECKs.</summary>
public abstract class LedgerBookTests(HavaleFactory gateway)
{
    private readonly LedgerKit _kit = new(gateway.Services);

    private async Task<(long Id, string Code)> AccountAsync(long id)
    {
        await using var db = await _kit.NewDbAsync();
        var code = await db.LedgerAccounts.Where(account => account.Id == id).Select(account => account.Code).SingleAsync();
        return (id, code);
    }

    [Fact]
    public async Task a_transfer_of_exactly_the_balance_is_done_and_one_rial_more_is_refused()
    {
        var payer = await _kit.OpenFundedDepositAsync(10_000);
        var payee = await _kit.OpenFundedDepositAsync(0);

        var tooMuch = await _kit.TransferAsync(payer, payee, 10_001);
        var exact = await _kit.TransferAsync(payer, payee, 10_000);

        Assert.Equal(LedgerOutcome.InsufficientFunds, tooMuch.Outcome);
        Assert.Equal(LedgerOutcome.Done, exact.Outcome);
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(0, audit.BalanceRials((await AccountAsync(payer)).Code));
        Assert.Equal(10_000, audit.BalanceRials((await AccountAsync(payee)).Code));
    }

    /// <summary>
    /// Regression: a transfer to an account with a lower id credited first, and on a refusal left that credit for the
    /// caller's rollback; a caller that committed after the refusal created money. The refusal now undoes it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task a_refused_transfer_moves_no_money_even_when_the_caller_commits(bool payeeIsOpenedFirst)
    {
        var first = await _kit.OpenFundedDepositAsync(payeeIsOpenedFirst ? 0 : 500);
        var second = await _kit.OpenFundedDepositAsync(payeeIsOpenedFirst ? 500 : 0);
        var (payer, payee) = payeeIsOpenedFirst ? (second, first) : (first, second);

        await using (var db = await _kit.NewDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var refused = await _kit.Book.TransferAsync(db, payer, payee, Rials.FromTrusted(501), LedgerKit.TestOrigin, CancellationToken.None);
            Assert.Equal(LedgerOutcome.InsufficientFunds, refused.Outcome);
            await transaction.CommitAsync();
        }

        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(500, audit.BalanceRials((await AccountAsync(payer)).Code));
        Assert.Equal(0, audit.BalanceRials((await AccountAsync(payee)).Code));
    }

    [Fact]
    public async Task a_hold_reserves_money_that_a_transfer_can_then_not_spend()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        var payee = await _kit.OpenFundedDepositAsync(0);

        var held = await _kit.HoldAsync(payer, payee, 700);
        var spendingTheHeldMoney = await _kit.TransferAsync(payer, payee, 301);
        var spendingTheRest = await _kit.TransferAsync(payer, payee, 300);

        Assert.Equal(LedgerOutcome.Done, held.Outcome);
        Assert.Equal(LedgerOutcome.InsufficientFunds, spendingTheHeldMoney.Outcome);
        Assert.Equal(LedgerOutcome.Done, spendingTheRest.Outcome);
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        var payerCode = (await AccountAsync(payer)).Code;
        Assert.Equal(700, audit.BalanceRials(payerCode));
        Assert.Equal(700, audit.PendingRials(payerCode));
    }

    [Fact]
    public async Task two_holds_cannot_both_take_the_last_rial()
    {
        var payer = await _kit.OpenFundedDepositAsync(1);
        var payee = await _kit.OpenFundedDepositAsync(0);

        var first = await _kit.HoldAsync(payer, payee, 1);
        var second = await _kit.HoldAsync(payer, payee, 1);

        Assert.Equal(LedgerOutcome.Done, first.Outcome);
        Assert.Equal(LedgerOutcome.InsufficientFunds, second.Outcome);
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    [Fact]
    public async Task a_posted_hold_moves_the_money_and_cannot_then_be_voided_or_posted_again()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        var payee = await _kit.OpenFundedDepositAsync(0);
        var hold = (await _kit.HoldAsync(payer, payee, 400)).Transfer!;

        var posted = await _kit.PostAsync(hold.Id);
        var voidedAfter = await _kit.VoidAsync(hold.Id);
        var postedAgain = await _kit.PostAsync(hold.Id);

        Assert.Equal(LedgerOutcome.Done, posted.Outcome);
        Assert.Equal(LedgerOutcome.HoldAlreadyResolved, voidedAfter.Outcome);
        Assert.Equal(LedgerOutcome.HoldAlreadyResolved, postedAgain.Outcome);
        var audit = (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
        Assert.Equal(600, audit.BalanceRials((await AccountAsync(payer)).Code));
        Assert.Equal(0, audit.PendingRials((await AccountAsync(payer)).Code));
        Assert.Equal(400, audit.BalanceRials((await AccountAsync(payee)).Code));
        Assert.Single(audit.Transfers, transfer => transfer.PendingId == hold.Id);
    }

    [Fact]
    public async Task a_voided_hold_gives_the_money_back_and_cannot_then_be_posted()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        var payee = await _kit.OpenFundedDepositAsync(0);
        var hold = (await _kit.HoldAsync(payer, payee, 1_000)).Transfer!;

        var voided = await _kit.VoidAsync(hold.Id);
        var postedAfter = await _kit.PostAsync(hold.Id);
        var spentAgain = await _kit.TransferAsync(payer, payee, 1_000);

        Assert.Equal(LedgerOutcome.Done, voided.Outcome);
        Assert.Equal(LedgerOutcome.HoldAlreadyResolved, postedAfter.Outcome);
        Assert.Equal(LedgerOutcome.Done, spentAgain.Outcome);
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    [Fact]
    public async Task only_a_hold_can_be_posted_or_voided()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        var payee = await _kit.OpenFundedDepositAsync(0);
        var posted = (await _kit.TransferAsync(payer, payee, 10)).Transfer!;

        Assert.Equal(LedgerOutcome.HoldNotFound, (await _kit.PostAsync(posted.Id)).Outcome);
        Assert.Equal(LedgerOutcome.HoldNotFound, (await _kit.VoidAsync(posted.Id)).Outcome);
        Assert.Equal(LedgerOutcome.HoldNotFound, (await _kit.PostAsync(long.MaxValue)).Outcome);
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }

    [Fact]
    public async Task the_ledger_refuses_to_move_money_outside_a_database_transaction()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        var payee = await _kit.OpenFundedDepositAsync(0);
        await using var db = await _kit.NewDbAsync();

        await Assert.ThrowsAsync<InvariantViolationException>(
            () => _kit.Book.TransferAsync(db, payer, payee, Rials.FromTrusted(1), LedgerKit.TestOrigin, CancellationToken.None));
        await Assert.ThrowsAsync<InvariantViolationException>(
            () => _kit.Book.HoldAsync(db, payer, payee, Rials.FromTrusted(1), LedgerKit.TestOrigin, null, CancellationToken.None));
    }

    [Fact]
    public async Task the_database_itself_refuses_an_overdraft_that_skips_the_guard()
    {
        var payer = await _kit.OpenFundedDepositAsync(1_000);
        await using var db = await _kit.NewDbAsync();

        // Written as a careless code path would: no guard in the WHERE. The CHECK constraint must stop it.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => db.Database.ExecuteSqlAsync($"UPDATE ledger_accounts SET balance_rials = balance_rials - 1001 WHERE id = {payer}"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => db.Database.ExecuteSqlAsync($"UPDATE ledger_accounts SET pending_rials = -1 WHERE id = {payer}"));
        (await LedgerAudit.ReadAsync(gateway.Services)).ShouldBalance();
    }
}

public sealed class LedgerBookTests_on_sqlite(SqliteGateway gateway) : LedgerBookTests(gateway), IClassFixture<SqliteGateway>;

public sealed class LedgerBookTests_on_postgres(PostgresGateway gateway) : LedgerBookTests(gateway), IClassFixture<PostgresGateway>;
