using Havale.Api.Accounts;
using Havale.Api.Auth;

namespace Havale.Api.Sandbox;

/// <summary>A seed that was read and checked: every identifier parsed, every reference resolved.</summary>
public sealed record ValidSeed(
    IReadOnlyList<SeedClient> Clients,
    IReadOnlyList<SeedCustomer> Customers,
    IReadOnlyList<ValidSeedDeposit> Deposits,
    IReadOnlyList<ValidSeedExternalAccount> ExternalAccounts);

public sealed record ValidSeedDeposit(DepositNumber Number, AccountStatus Status, int RequiredSignatures, long BalanceRials,
    IReadOnlyList<string> Owners, IReadOnlyList<string> Signatories);

public sealed record ValidSeedExternalAccount(Iban Iban, string FirstName, string LastName, AccountStatus Status);

public sealed class SeedException(IReadOnlyList<string> problems)
    : Exception("The sandbox seed is invalid:\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Checks a seed whole before anything is written, and names every bad entry (by its position and key),
/// so that a developer fixing a seed sees all of its problems at once.
/// </summary>
public static class SeedValidator
{
    public static ValidSeed Validate(SeedFile seed)
    {
        var problems = new List<string>();
        CheckCount(problems, "clients", seed.Clients.Count, SeedLimits.ClientsMax);
        CheckCount(problems, "customers", seed.Customers.Count, SeedLimits.CustomersMax);
        CheckCount(problems, "deposits", seed.Deposits.Count, SeedLimits.DepositsMax);
        CheckCount(problems, "externalAccounts", seed.ExternalAccounts.Count, SeedLimits.ExternalAccountsMax);

        var customers = ValidateCustomers(seed.Customers, problems);
        var clients = ValidateClients(seed.Clients, customers, problems);
        var deposits = ValidateDeposits(seed.Deposits, customers, problems);
        var externalAccounts = ValidateExternalAccounts(seed.ExternalAccounts, problems);

        if (problems.Count > 0)
        {
            throw new SeedException(problems);
        }
        return new ValidSeed(clients, seed.Customers, deposits, externalAccounts);
    }

    private static HashSet<string> ValidateCustomers(List<SeedCustomer> customers, List<string> problems)
    {
        var nids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < customers.Count; i++)
        {
            var customer = customers[i];
            var entry = $"customers[{i}]";
            if (!NationalCode.TryParse(customer.Nid, out var nid, out var nidError))
            {
                problems.Add($"{entry}.nid '{customer.Nid}': {nidError}");
            }
            else if (!nids.Add(nid.Value))
            {
                problems.Add($"{entry}.nid '{customer.Nid}': duplicate customer");
            }
            CheckName(problems, $"{entry}.firstName", customer.FirstName);
            CheckName(problems, $"{entry}.lastName", customer.LastName);
            if (customer.Password is { } password && (password.Length == 0 || password.Length > SeedLimits.PasswordCharsMax))
            {
                problems.Add($"{entry}.password: must be 1 to {SeedLimits.PasswordCharsMax} characters when given");
            }
        }
        return nids;
    }

    private static List<SeedClient> ValidateClients(List<SeedClient> clients, HashSet<string> customerNids, List<string> problems)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var entry = $"clients[{i}]";
            if (!ClientIds.IsValid(client.ClientId))
            {
                problems.Add($"{entry}.clientId '{client.ClientId}': {ClientIds.Rule}");
            }
            else if (!ids.Add(client.ClientId!))
            {
                problems.Add($"{entry}.clientId '{client.ClientId}': duplicate client");
            }
            if (client.Secret is null || client.Secret.Length < SeedLimits.ClientSecretCharsMin || client.Secret.Length > SeedLimits.ClientSecretCharsMax)
            {
                problems.Add($"{entry}.secret: must be {SeedLimits.ClientSecretCharsMin} to {SeedLimits.ClientSecretCharsMax} characters");
            }
            if (!PersianText.TryNormalize(client.Name, 1, SeedLimits.ClientNameCharsMax, out _, out var nameError))
            {
                problems.Add($"{entry}.name: {nameError}");
            }
            CheckCount(problems, $"{entry}.nids", client.Nids.Count, SeedLimits.NidsPerClientMax);
            CheckNids(problems, $"{entry}.nids", client.Nids, customerNids);
            CheckCount(problems, $"{entry}.redirectUris", client.RedirectUris.Count, SeedLimits.RedirectUrisPerClientMax);
            for (var j = 0; j < client.RedirectUris.Count; j++)
            {
                var uri = client.RedirectUris[j];
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Fragment.Length > 0)
                {
                    problems.Add($"{entry}.redirectUris[{j}] '{uri}': must be an absolute http or https URI without a fragment");
                }
            }
            if (client.Scopes.Count == 0)
            {
                problems.Add($"{entry}.scopes: at least one scope is required");
            }
            foreach (var scope in client.Scopes.Where(scope => !Scopes.All.Contains(scope)))
            {
                problems.Add($"{entry}.scopes: '{scope}' is not a scope Havale knows");
            }
            if (client.MaxAmountPerTransactionRials is not { } amountRialsMax || !Rials.TryCreate(amountRialsMax, out _, out _))
            {
                problems.Add($"{entry}.maxAmountPerTransactionRials: must be a positive whole number of rials");
            }
        }
        return clients;
    }

    private static List<ValidSeedDeposit> ValidateDeposits(List<SeedDeposit> deposits, HashSet<string> customerNids, List<string> problems)
    {
        var valid = new List<ValidSeedDeposit>(deposits.Count);
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < deposits.Count; i++)
        {
            var deposit = deposits[i];
            var entry = $"deposits[{i}]";
            var numberIsValid = DepositNumber.TryParse(deposit.Number, out var number, out var numberError);
            if (!numberIsValid)
            {
                problems.Add($"{entry}.number '{deposit.Number}': {numberError}");
            }
            else if (!numbers.Add(number.Value))
            {
                problems.Add($"{entry}.number '{deposit.Number}': duplicate deposit");
            }
            if (deposit.Owners.Count == 0)
            {
                problems.Add($"{entry}.owners: at least one owner is required");
            }
            CheckCount(problems, $"{entry}.owners", deposit.Owners.Count, SeedLimits.MembersPerDepositMax);
            CheckCount(problems, $"{entry}.signatories", deposit.Signatories.Count, SeedLimits.MembersPerDepositMax);
            CheckNids(problems, $"{entry}.owners", deposit.Owners, customerNids);
            CheckNids(problems, $"{entry}.signatories", deposit.Signatories, customerNids);
            var required = deposit.RequiredSignatures ?? 1;
            if (required < 1 || required > Math.Max(1, deposit.Signatories.Count))
            {
                problems.Add($"{entry}.requiredSignatures {required}: must be between 1 and the number of signatories ({deposit.Signatories.Count})");
            }
            if (deposit.Signatories.Count == 0)
            {
                problems.Add($"{entry}.signatories: at least one signatory is required");
            }
            var balance = deposit.BalanceRials ?? 0;
            if (balance < 0 || balance > Rials.AmountRialsMax)
            {
                problems.Add($"{entry}.balanceRials {balance}: must be between 0 and {Rials.AmountRialsMax}");
            }
            var statusIsValid = TryParseStatus(deposit.Status, out var status);
            if (!statusIsValid)
            {
                problems.Add($"{entry}.status '{deposit.Status}': must be active, blocked or dormant");
            }
            if (numberIsValid && statusIsValid)
            {
                valid.Add(new ValidSeedDeposit(number, status, required, balance, deposit.Owners, deposit.Signatories));
            }
        }
        return valid;
    }

    private static List<ValidSeedExternalAccount> ValidateExternalAccounts(List<SeedExternalAccount> accounts, List<string> problems)
    {
        var valid = new List<ValidSeedExternalAccount>(accounts.Count);
        var ibans = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            var entry = $"externalAccounts[{i}]";
            var ibanIsValid = Iban.TryParse(account.Iban, out var iban, out var ibanError);
            if (!ibanIsValid)
            {
                problems.Add($"{entry}.iban '{account.Iban}': {ibanError}");
            }
            else if (iban.IsHostBank)
            {
                problems.Add($"{entry}.iban '{account.Iban}': a host-bank IBAN is a deposit; list it under deposits");
                ibanIsValid = false;
            }
            else if (Banks.Find(iban.BankCode) is null)
            {
                problems.Add($"{entry}.iban '{account.Iban}': bank code {iban.BankCode} is not a bank Havale knows");
                ibanIsValid = false;
            }
            else if (!ibans.Add(iban.Value))
            {
                problems.Add($"{entry}.iban '{account.Iban}': duplicate external account");
                ibanIsValid = false;
            }
            var firstName = CheckName(problems, $"{entry}.firstName", account.FirstName);
            var lastName = CheckName(problems, $"{entry}.lastName", account.LastName);
            var statusIsValid = TryParseStatus(account.Status, out var status);
            if (!statusIsValid)
            {
                problems.Add($"{entry}.status '{account.Status}': must be active, blocked or dormant");
            }
            if (ibanIsValid && statusIsValid && firstName is not null && lastName is not null)
            {
                valid.Add(new ValidSeedExternalAccount(iban, firstName, lastName, status));
            }
        }
        return valid;
    }

    private static bool TryParseStatus(string? text, out AccountStatus status)
    {
        (var isKnown, status) = text switch
        {
            null or "active" => (true, AccountStatus.Active),
            "blocked" => (true, AccountStatus.Blocked),
            "dormant" => (true, AccountStatus.Dormant),
            _ => (false, AccountStatus.Active),
        };
        return isKnown;
    }

    private static string? CheckName(List<string> problems, string field, string? name)
    {
        if (PersianText.TryNormalize(name, PersonName.CharsMin, PersonName.CharsMax, out var normalized, out var error))
        {
            return normalized;
        }
        problems.Add($"{field}: {error}");
        return null;
    }

    private static void CheckNids(List<string> problems, string field, List<string> nids, HashSet<string> customerNids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var nid in nids)
        {
            if (!NationalCode.TryParse(nid, out _, out var error))
            {
                problems.Add($"{field} '{nid}': {error}");
            }
            else if (!customerNids.Contains(nid))
            {
                problems.Add($"{field} '{nid}': no customer has this national code");
            }
            else if (!seen.Add(nid))
            {
                problems.Add($"{field} '{nid}': listed twice");
            }
        }
    }

    private static void CheckCount(List<string> problems, string field, int count, int max)
    {
        if (count > max)
        {
            problems.Add($"{field}: {count} entries, more than the {max} allowed");
        }
    }
}
