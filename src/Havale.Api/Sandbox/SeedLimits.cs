namespace Havale.Api.Sandbox;

/// <summary>Bounds on the sandbox seed; a seed past any of them fails start-up.</summary>
public static class SeedLimits
{
    public const int ClientsMax = 100;
    public const int CustomersMax = 10_000;
    public const int DepositsMax = 10_000;
    public const int ExternalAccountsMax = 100_000;
    public const int MembersPerDepositMax = 50;
    public const int NidsPerClientMax = 1_000;
    public const int RedirectUrisPerClientMax = 20;
    public const int ClientNameCharsMax = 100;
    public const int ClientSecretCharsMin = 8;
    public const int ClientSecretCharsMax = 200;
    public const int PasswordCharsMax = 100;
    public const int SeedFileBytesMax = 64 * 1024 * 1024;
}
