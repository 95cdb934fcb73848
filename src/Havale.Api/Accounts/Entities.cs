namespace Havale.Api.Accounts;

/// <summary>
/// A registered API client (a fintech). Its OAuth side (secret, redirect URIs, scopes) is also registered with the
/// authorization server; this row keeps what Havale's own rules need: who may be served on its behalf and how much.
/// </summary>
public sealed class ApiClient
{
    /// <summary>A stored password hash (algorithm, salt and hash in one string) fits with room to spare.</summary>
    public const int SecretHashCharsMax = 200;

    public required string ClientId { get; init; }
    public required string Name { get; set; }
    public required string SecretHash { get; set; }
    public required long MaxAmountPerTransactionRials { get; set; }
    /// <summary>National codes of the people registered on the client, for client-credential tokens.</summary>
    public List<string> Nids { get; set; } = [];
    public List<string> RedirectUris { get; set; } = [];
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset CreatedUtc { get; init; }
}

/// <summary>A person known to the host bank.</summary>
public sealed class Customer
{
    public const int PasswordHashCharsMax = ApiClient.SecretHashCharsMax;

    public required string Nid { get; init; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedUtc { get; init; }
}

public enum AccountStatus
{
    Active,
    Blocked,
    Dormant,
}

/// <summary>A deposit (account) at the host bank.</summary>
public sealed class Deposit
{
    public required string Number { get; init; }
    public required AccountStatus Status { get; set; }
    /// <summary>How many signatories must sign a payment order before it can be paid.</summary>
    public required int RequiredSignatures { get; set; }
    public List<DepositMember> Members { get; set; } = [];
    public DateTimeOffset CreatedUtc { get; init; }
}

/// <summary>
/// A person's roles on a deposit. Owners may grant the deposit and create orders on it; signatories sign and pay.
/// One person may be both.
/// </summary>
public sealed class DepositMember
{
    public required string DepositNumber { get; init; }
    public required string Nid { get; init; }
    public required bool IsOwner { get; set; }
    public required bool IsSignatory { get; set; }
}

/// <summary>A customer of another (simulated) bank, reachable by IBAN.</summary>
public sealed class ExternalAccount
{
    public required string Iban { get; init; }
    public required string BankCode { get; init; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public required AccountStatus Status { get; set; }
    public DateTimeOffset CreatedUtc { get; init; }
}
