using System.Text.Json;
using Havale.Api.Accounts;
using Havale.Api.Sandbox;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Havale.Api.Auth;

/// <summary>
/// Registers each new seed client with the authorization server, in the seed's transaction: a seed that fails
/// leaves neither the client nor its OAuth registration behind. Havale's own client row
/// (<see cref="Accounts.ApiClient"/>) stays the source of truth for scopes, nids and limits; the registration holds
/// what the server checks before Havale's code runs: the secret and the redirect URIs.
/// </summary>
public sealed class ClientRegistration : ISeedContributor
{
    public async Task ContributeAsync(HavaleDb db, ValidSeed seed, IReadOnlyList<ValidSeedDeposit> newDeposits, CancellationToken cancellationToken)
    {
        var applications = db.Set<OpenIddictEntityFrameworkCoreApplication>();
        var registered = (await applications.Select(application => application.ClientId).ToListAsync(cancellationToken)).ToHashSet();
        foreach (var client in seed.Clients.Where(client => !registered.Contains(client.ClientId)))
        {
            var row = await db.Clients.AsNoTracking().SingleAsync(known => known.ClientId == client.ClientId, cancellationToken);
            applications.Add(new OpenIddictEntityFrameworkCoreApplication
            {
                ClientId = row.ClientId,
                ClientSecret = row.SecretHash,
                ClientType = ClientTypes.Confidential,
                ConsentType = ConsentTypes.Explicit,
                DisplayName = row.Name,
                RedirectUris = JsonSerializer.Serialize(row.RedirectUris),
                ConcurrencyToken = Guid.NewGuid().ToString(),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
