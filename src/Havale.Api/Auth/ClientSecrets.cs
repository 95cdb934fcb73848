using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Havale.Api.Auth;

/// <summary>
/// One format for client secrets everywhere: ASP.NET Core's password hash (PBKDF2), the same one
/// <see cref="Accounts.ApiClient.SecretHash"/> holds. The seed writes that hash into the authorization server's
/// application row directly (inside the seed's own transaction), so the server must check secrets the same way.
/// </summary>
public static class ClientSecrets
{
    private static readonly PasswordHasher<string> Hasher = new();

    public static string Hash(string clientId, string secret) => Hasher.HashPassword(clientId, secret);

    public static bool Verify(string clientId, string hash, string secret)
        => Hasher.VerifyHashedPassword(clientId, hash, secret) is not PasswordVerificationResult.Failed;
}

/// <summary>OpenIddict's application manager with <see cref="ClientSecrets"/> as its secret hash.</summary>
public sealed class HavaleApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    // PasswordHasher's current format ignores the user argument; the client id is passed where one is known.
    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ClientSecrets.Hash("", secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(ClientSecrets.Verify("", comparand, secret));
}
