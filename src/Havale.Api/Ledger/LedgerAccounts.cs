using System.Collections.Concurrent;

namespace Havale.Api.Ledger;

/// <summary>The codes of ledger accounts: a deposit's own number, or a named system account.</summary>
public static class LedgerAccountCodes
{
    public const string Genesis = "genesis";

    public static string Deposit(DepositNumber deposit) => deposit.Value;

    public static string Clearing(RailKind rail) => "clearing:" + rail.ToString().ToLowerInvariant();

    public static string Bank(string bankCode) => "bank:" + bankCode;
}

/// <summary>
/// Opens ledger accounts and finds them by code. An account's id never changes once it exists, so ids are cached
/// for the life of the process; balances are never cached.
/// </summary>
public sealed class LedgerAccounts(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, long> _idsByCode = new(StringComparer.Ordinal);

    /// <summary>The genesis account, one clearing account per rail that leaves the bank, and one account per other bank.</summary>
    public async Task EnsureSystemAccountsAsync(HavaleDb db, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Code, LedgerAccountKind Kind, bool AllowsNegative)>
        {
            (LedgerAccountCodes.Genesis, LedgerAccountKind.Genesis, true),
            (LedgerAccountCodes.Clearing(RailKind.Pol), LedgerAccountKind.Clearing, false),
            (LedgerAccountCodes.Clearing(RailKind.Paya), LedgerAccountKind.Clearing, false),
        };
        wanted.AddRange(Banks.All.Where(bank => bank.Code != Banks.HostBankCode).Select(bank => bank.Code).Distinct()
            .Select(code => (LedgerAccountCodes.Bank(code), LedgerAccountKind.ExternalBank, false)));
        var existing = (await db.LedgerAccounts.Select(account => account.Code).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var (code, kind, allowsNegative) in wanted.Where(account => !existing.Contains(account.Code)))
        {
            db.LedgerAccounts.Add(new LedgerAccount { Code = code, Kind = kind, AllowsNegative = allowsNegative, CreatedUtc = clock.GetUtcNow() });
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<long> OpenDepositAsync(HavaleDb db, DepositNumber deposit, CancellationToken cancellationToken)
    {
        var account = new LedgerAccount
        {
            Code = LedgerAccountCodes.Deposit(deposit),
            Kind = LedgerAccountKind.Deposit,
            AllowsNegative = false,
            CreatedUtc = clock.GetUtcNow(),
        };
        db.LedgerAccounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(account).State = EntityState.Detached;
        return account.Id;
    }

    public async Task<long?> FindIdAsync(HavaleDb db, string code, CancellationToken cancellationToken)
    {
        if (_idsByCode.TryGetValue(code, out var cached))
        {
            return cached;
        }
        var ids = await db.LedgerAccounts.Where(account => account.Code == code).Select(account => account.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return null;
        }
        _idsByCode.TryAdd(code, ids[0]);
        return ids[0];
    }

    /// <summary>As <see cref="FindIdAsync(HavaleDb, string, CancellationToken)"/>, opening a context only when the id is not known yet.</summary>
    public async Task<long?> FindIdAsync(IDbContextFactory<HavaleDb> dbFactory, string code, CancellationToken cancellationToken)
    {
        if (_idsByCode.TryGetValue(code, out var cached))
        {
            return cached;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FindIdAsync(db, code, cancellationToken);
    }

    public async Task<long> IdAsync(IDbContextFactory<HavaleDb> dbFactory, string code, CancellationToken cancellationToken)
        => await FindIdAsync(dbFactory, code, cancellationToken)
           ?? throw new InvariantViolationException($"invariant failed: ledger account {code} exists");

    public async Task<long> IdAsync(HavaleDb db, string code, CancellationToken cancellationToken)
        => await FindIdAsync(db, code, cancellationToken)
           ?? throw new InvariantViolationException($"invariant failed: ledger account {code} exists");
}
