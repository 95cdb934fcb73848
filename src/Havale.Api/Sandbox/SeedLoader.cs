using System.Text.Json;
using Havale.Api.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Havale.Api.Sandbox;

/// <summary>
/// Loads the sandbox seed at start. Loading is idempotent: an entry that already exists is left exactly as it is —
/// a restart never duplicates anything and never resets state that calls have changed since (balances above all).
/// The whole seed is written in one database transaction, so a failing seed leaves nothing behind.
/// </summary>
public sealed class SeedLoader(IDbContextFactory<HavaleDb> dbFactory, TimeProvider clock, IEnumerable<ISeedContributor> contributors,
    ILogger<SeedLoader> logger)
{
    private static readonly PasswordHasher<string> Hasher = new();

    public static SeedFile Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new SeedException([$"seed file '{path}' does not exist"]);
        }
        if (info.Length > SeedLimits.SeedFileBytesMax)
        {
            throw new SeedException([$"seed file '{path}' is larger than {SeedLimits.SeedFileBytesMax} bytes"]);
        }
        try
        {
            using var stream = info.OpenRead();
            return JsonSerializer.Deserialize<SeedFile>(stream, HavaleJson.Options)
                   ?? throw new SeedException([$"seed file '{path}' is empty"]);
        }
        catch (JsonException exception)
        {
            throw new SeedException([$"seed file '{path}': {EnvelopeExceptionHandler.DescribeJson(exception)}"]);
        }
    }

    public async Task<SeedLoadReport> LoadAsync(SeedFile seed, CancellationToken cancellationToken)
    {
        var valid = SeedValidator.Validate(seed);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var knownCustomers = (await db.Customers.Select(customer => customer.Nid).ToListAsync(cancellationToken)).ToHashSet();
        var knownClients = (await db.Clients.Select(client => client.ClientId).ToListAsync(cancellationToken)).ToHashSet();
        var knownDeposits = (await db.Deposits.Select(deposit => deposit.Number).ToListAsync(cancellationToken)).ToHashSet();
        var knownExternal = (await db.ExternalAccounts.Select(account => account.Iban).ToListAsync(cancellationToken)).ToHashSet();

        var report = new SeedLoadReport();
        foreach (var customer in valid.Customers.Where(customer => !knownCustomers.Contains(customer.Nid!)))
        {
            db.Customers.Add(new Customer
            {
                Nid = customer.Nid!,
                FirstName = customer.FirstName!.Trim(),
                LastName = customer.LastName!.Trim(),
                PasswordHash = Hasher.HashPassword(customer.Nid!, customer.Password ?? customer.Nid!),
                CreatedUtc = now,
            });
            report.CustomersAdded++;
        }
        foreach (var client in valid.Clients.Where(client => !knownClients.Contains(client.ClientId!)))
        {
            db.Clients.Add(new ApiClient
            {
                ClientId = client.ClientId!,
                Name = client.Name!.Trim(),
                SecretHash = Hasher.HashPassword(client.ClientId!, client.Secret!),
                MaxAmountPerTransactionRials = client.MaxAmountPerTransactionRials!.Value,
                Nids = [.. client.Nids],
                RedirectUris = [.. client.RedirectUris],
                Scopes = [.. client.Scopes],
                CreatedUtc = now,
            });
            report.ClientsAdded++;
        }
        var newDeposits = valid.Deposits.Where(deposit => !knownDeposits.Contains(deposit.Number.Value)).ToList();
        foreach (var deposit in newDeposits)
        {
            db.Deposits.Add(new Deposit
            {
                Number = deposit.Number.Value,
                Status = deposit.Status,
                RequiredSignatures = deposit.RequiredSignatures,
                CreatedUtc = now,
                Members = deposit.Owners.Union(deposit.Signatories).Select(nid => new DepositMember
                {
                    DepositNumber = deposit.Number.Value,
                    Nid = nid,
                    IsOwner = deposit.Owners.Contains(nid),
                    IsSignatory = deposit.Signatories.Contains(nid),
                }).ToList(),
            });
            report.DepositsAdded++;
        }
        foreach (var account in valid.ExternalAccounts.Where(account => !knownExternal.Contains(account.Iban.Value)))
        {
            db.ExternalAccounts.Add(new ExternalAccount
            {
                Iban = account.Iban.Value,
                BankCode = account.Iban.BankCode,
                FirstName = account.FirstName,
                LastName = account.LastName,
                Status = account.Status,
                CreatedUtc = now,
            });
            report.ExternalAccountsAdded++;
        }
        await db.SaveChangesAsync(cancellationToken);
        // Later parts (the ledger funding new deposits, OAuth registering new clients) add their rows in the same transaction.
        foreach (var contributor in contributors)
        {
            await contributor.ContributeAsync(db, valid, newDeposits, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seed loaded (the sandbox seed or the production registry): {Report}", report);
        return report;
    }
}

/// <summary>A part of Havale that adds its own rows for a seed's new entries, inside the seed's transaction.</summary>
public interface ISeedContributor
{
    Task ContributeAsync(HavaleDb db, ValidSeed seed, IReadOnlyList<ValidSeedDeposit> newDeposits, CancellationToken cancellationToken);
}

public sealed record SeedLoadReport
{
    public int ClientsAdded { get; set; }
    public int CustomersAdded { get; set; }
    public int DepositsAdded { get; set; }
    public int ExternalAccountsAdded { get; set; }
}
