using Havale.Api.Ledger;
using Havale.Api.Storage;
using Havale.Domain;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Ledger;

/// <summary>Direct access to a gateway's ledger for tests: fresh funded accounts and one-transaction units of work.</summary>
public sealed class LedgerKit(IServiceProvider services)
{
    public static readonly TransferOrigin TestOrigin = new(RailKind.Internal, Note: "ledger test");

    public LedgerBook Book { get; } = services.GetRequiredService<LedgerBook>();
    public LedgerAccounts Accounts { get; } = services.GetRequiredService<LedgerAccounts>();

    public Task<HavaleDb> NewDbAsync() => services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();

    /// <summary>
    /// A deposit account no seed knows (its number starts with 7), funded from genesis. Tests that share a gateway
    /// each work on their own accounts, so they never see each other's money.
    /// </summary>
    public async Task<long> OpenFundedDepositAsync(long balanceRials)
    {
        var deposit = DepositNumber.Parse("7" + Random.Shared.NextInt64(1_000_000_000_000).ToString("D12", System.Globalization.CultureInfo.InvariantCulture));
        await using var db = await NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var accountId = await Accounts.OpenDepositAsync(db, deposit, CancellationToken.None);
        if (balanceRials > 0)
        {
            var genesisId = await Accounts.IdAsync(db, LedgerAccountCodes.Genesis, CancellationToken.None);
            var funded = await Book.TransferAsync(db, genesisId, accountId, Rials.FromTrusted(balanceRials), TestOrigin, CancellationToken.None);
            Assert.True(funded.IsDone);
        }
        await transaction.CommitAsync();
        return accountId;
    }

    public async Task<long> IdAsync(string code)
    {
        await using var db = await NewDbAsync();
        return await Accounts.IdAsync(db, code, CancellationToken.None);
    }

    /// <summary>Runs one ledger operation in its own context and transaction; commits only what was done.</summary>
    public async Task<LedgerResult> RunAsync(Func<HavaleDb, Task<LedgerResult>> operation)
    {
        await using var db = await NewDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await operation(db);
        if (result.IsDone)
        {
            await transaction.CommitAsync();
        }
        return result;
    }

    public Task<LedgerResult> TransferAsync(long debitAccountId, long creditAccountId, long amountRials)
        => RunAsync(db => Book.TransferAsync(db, debitAccountId, creditAccountId, Rials.FromTrusted(amountRials), TestOrigin, CancellationToken.None));

    public Task<LedgerResult> HoldAsync(long debitAccountId, long creditAccountId, long amountRials)
        => RunAsync(db => Book.HoldAsync(db, debitAccountId, creditAccountId, Rials.FromTrusted(amountRials), TestOrigin, null, CancellationToken.None));

    public Task<LedgerResult> PostAsync(long pendingId) => RunAsync(db => Book.PostPendingAsync(db, pendingId, null, CancellationToken.None));

    public Task<LedgerResult> VoidAsync(long pendingId) => RunAsync(db => Book.VoidPendingAsync(db, pendingId, "test void", CancellationToken.None));
}
