using System.Text.Json.Serialization;

namespace Havale.Api.Sandbox;

/// <summary>The sandbox seed's shape, key for key (issue #2). Unknown keys are refused so a typo cannot pass silently.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedFile
{
    public List<SeedClient> Clients { get; init; } = [];
    public List<SeedCustomer> Customers { get; init; } = [];
    public List<SeedDeposit> Deposits { get; init; } = [];
    public List<SeedExternalAccount> ExternalAccounts { get; init; } = [];
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedClient
{
    public string? ClientId { get; init; }
    public string? Secret { get; init; }
    public string? Name { get; init; }
    public List<string> Nids { get; init; } = [];
    public List<string> RedirectUris { get; init; } = [];
    public List<string> Scopes { get; init; } = [];
    public long? MaxAmountPerTransactionRials { get; init; }
    /// <summary>Webhook endpoints the client starts with (checked and written by the webhooks feature's seed contributor).</summary>
    public List<SeedWebhook> Webhooks { get; init; } = [];
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedWebhook
{
    public string? Url { get; init; }
    public List<string> EventTypes { get; init; } = [];
    public bool Enabled { get; init; } = true;
    /// <summary>Optional, so that a sandbox receiver can know it in advance: "whsec_" and the base64 of 24 to 64 bytes; made at random when absent.</summary>
    public string? Secret { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedCustomer
{
    public string? Nid { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    /// <summary>Optional; the sandbox login password defaults to the national code, as on Finnotech's sandbox.</summary>
    public string? Password { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedDeposit
{
    public string? Number { get; init; }
    public List<string> Owners { get; init; } = [];
    public List<string> Signatories { get; init; } = [];
    public int? RequiredSignatures { get; init; }
    public long? BalanceRials { get; init; }
    public string? Status { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SeedExternalAccount
{
    public string? Iban { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Status { get; init; }
}
