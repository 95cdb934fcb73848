using Havale.Api.Ledger;
using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Tests.Ledger;

/// <summary>
/// A snapshot of the whole ledger (every account and every transfer) and the checks every money-moving test ends
/// with: the balances sum to zero, no account that may not go negative does, every hold is resolved at most once,
/// and the balances are exactly what replaying the append-only transfer log gives.
/// </summary>
public sealed class LedgerAudit
{
    private LedgerAudit(IReadOnlyList<LedgerAccount> accounts, IReadOnlyList<LedgerTransfer> transfers, IReadOnlyList<long> indexedOpenHoldIds)
    {
        Accounts = accounts;
        Transfers = transfers;
        IndexedOpenHoldIds = indexedOpenHoldIds;
    }

    /// <summary>The holds the database's own index (open_holds, kept by a trigger) says are open.</summary>
    public IReadOnlyList<long> IndexedOpenHoldIds { get; }

    public IReadOnlyList<LedgerAccount> Accounts { get; }
    public IReadOnlyList<LedgerTransfer> Transfers { get; }

    public IReadOnlyList<LedgerTransfer> OpenHolds
    {
        get
        {
            var resolved = Transfers.Where(transfer => transfer.PendingId is not null).Select(transfer => transfer.PendingId!.Value).ToHashSet();
            return Transfers.Where(transfer => transfer.Kind == TransferKind.Pending && !resolved.Contains(transfer.Id)).ToList();
        }
    }

    public static async Task<LedgerAudit> ReadAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<HavaleDb>>().CreateDbContextAsync();
        // One transaction, so that the accounts and the transfers are read from the same moment; SQLite knows only
        // serializable transactions, PostgreSQL's repeatable read is its snapshot.
        await using var transaction = await db.Database.BeginTransactionAsync(
            db.Database.IsSqlite() ? System.Data.IsolationLevel.Serializable : System.Data.IsolationLevel.RepeatableRead);
        var accounts = await db.LedgerAccounts.AsNoTracking().OrderBy(account => account.Id).ToListAsync();
        var transfers = await db.LedgerTransfers.AsNoTracking().OrderBy(transfer => transfer.Id).ToListAsync();
        var indexed = await db.Database.SqlQueryRaw<long>(HoldStates.OpenHoldIdsSql).ToListAsync();
        return new LedgerAudit(accounts, transfers, indexed);
    }

    public LedgerAccount Account(string code) => Accounts.Single(account => account.Code == code);

    public long BalanceRials(string code) => Account(code).BalanceRials;

    public long PendingRials(string code) => Account(code).PendingRials;

    public long SumRials => Accounts.Aggregate(0L, (sum, account) => checked(sum + account.BalanceRials));

    /// <summary>Every invariant of the ledger at once; the message names the first account or hold that breaks one.</summary>
    public LedgerAudit ShouldBalance()
    {
        Assert.Equal(0, SumRials);
        foreach (var account in Accounts)
        {
            Assert.True(account.PendingRials >= 0, $"{account.Code} holds {account.PendingRials} rials");
            Assert.True(account.AllowsNegative || account.BalanceRials - account.PendingRials >= 0,
                $"{account.Code} has {account.BalanceRials} rials with {account.PendingRials} held");
        }
        ShouldResolveEveryHoldAtMostOnce();
        ShouldEqualTheReplayedLog();
        // Recovery finds open holds through the index; it must name exactly the holds the ledger leaves open.
        Assert.Equal(OpenHolds.Select(hold => hold.Id), IndexedOpenHoldIds);
        return this;
    }

    public LedgerAudit ShouldHaveNoOpenHolds()
    {
        Assert.Empty(OpenHolds);
        Assert.All(Accounts, account => Assert.True(account.PendingRials == 0, $"{account.Code} still holds {account.PendingRials} rials"));
        return this;
    }

    private void ShouldResolveEveryHoldAtMostOnce()
    {
        var holds = Transfers.Where(transfer => transfer.Kind == TransferKind.Pending).ToDictionary(transfer => transfer.Id);
        var resolutions = Transfers.Where(transfer => transfer.Kind is TransferKind.PostPending or TransferKind.VoidPending).ToList();
        foreach (var group in resolutions.GroupBy(resolution => resolution.PendingId))
        {
            Assert.True(group.Count() == 1, $"hold {group.Key} is resolved {group.Count()} times");
        }
        foreach (var resolution in resolutions)
        {
            Assert.True(resolution.PendingId is { } pendingId && holds.ContainsKey(pendingId),
                $"transfer {resolution.Id} resolves {resolution.PendingId}, which is not a hold");
            var hold = holds[resolution.PendingId!.Value];
            Assert.Equal(hold.DebitAccountId, resolution.DebitAccountId);
            Assert.Equal(hold.CreditAccountId, resolution.CreditAccountId);
            Assert.Equal(hold.AmountRials, resolution.AmountRials);
            Assert.True(resolution.Id > hold.Id, $"transfer {resolution.Id} resolves the later hold {hold.Id}");
        }
    }

    /// <summary>The balances are a cache of the log: replaying every transfer from an empty ledger must give them back.</summary>
    private void ShouldEqualTheReplayedLog()
    {
        var balances = Accounts.ToDictionary(account => account.Id, _ => 0L);
        var pendings = Accounts.ToDictionary(account => account.Id, _ => 0L);
        foreach (var transfer in Transfers)
        {
            Assert.True(transfer.AmountRials > 0, $"transfer {transfer.Id} moves {transfer.AmountRials} rials");
            var amount = transfer.AmountRials;
            switch (transfer.Kind)
            {
                case TransferKind.Posted:
                    balances[transfer.DebitAccountId] = checked(balances[transfer.DebitAccountId] - amount);
                    balances[transfer.CreditAccountId] = checked(balances[transfer.CreditAccountId] + amount);
                    break;
                case TransferKind.Pending:
                    pendings[transfer.DebitAccountId] = checked(pendings[transfer.DebitAccountId] + amount);
                    break;
                case TransferKind.PostPending:
                    pendings[transfer.DebitAccountId] = checked(pendings[transfer.DebitAccountId] - amount);
                    balances[transfer.DebitAccountId] = checked(balances[transfer.DebitAccountId] - amount);
                    balances[transfer.CreditAccountId] = checked(balances[transfer.CreditAccountId] + amount);
                    break;
                case TransferKind.VoidPending:
                    pendings[transfer.DebitAccountId] = checked(pendings[transfer.DebitAccountId] - amount);
                    break;
            }
        }
        foreach (var account in Accounts)
        {
            Assert.True(balances[account.Id] == account.BalanceRials,
                $"{account.Code}: the log gives {balances[account.Id]} rials, the account says {account.BalanceRials}");
            Assert.True(pendings[account.Id] == account.PendingRials,
                $"{account.Code}: the log holds {pendings[account.Id]} rials, the account says {account.PendingRials}");
        }
    }
}
