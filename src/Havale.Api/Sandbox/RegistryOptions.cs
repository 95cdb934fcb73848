namespace Havale.Api.Sandbox;

/// <summary>
/// Configuration under <c>Havale:Registry</c>: in production mode, the file that lists the clients, customers and
/// deposits this gateway serves. Havale has no connection to a core banking system yet, so a production gateway
/// knows its callers and its customers' deposits from this file alone; it has the seed's format and is loaded the
/// seed's way (idempotently, at every start, in one transaction), but nothing of the sandbox comes with it.
/// </summary>
public sealed class RegistryOptions
{
    public const string Section = "Havale:Registry";

    /// <summary>Empty: no registry is read and the gateway starts with what its database already holds.</summary>
    public string? File { get; set; }
}
