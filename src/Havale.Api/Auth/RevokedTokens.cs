using System.Collections.Concurrent;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Havale.Api.Auth;

/// <summary>
/// The tokens and authorizations revoked before their access tokens expire, held in memory so that checking a valid
/// token costs no database round trip: the JWT's signature and lifetime are checked in memory, and its id and its
/// authorization's id against this set. A revocation on this node is in the set at once; one on another node (or by
/// OpenIddict itself, when a refresh token is reused) within <see cref="RefreshMs"/>, when each node reads the
/// revoked entries again.
/// </summary>
public sealed class RevokedTokens
{
    /// <summary>The most a revocation made elsewhere takes to stop a token on this node.</summary>
    public const int RefreshMs = 1_000;

    private readonly ConcurrentDictionary<string, DateTime> _expiresUtcById = new(StringComparer.Ordinal);

    public bool Contains(string? id) => id is not null && _expiresUtcById.ContainsKey(id);

    /// <summary>An id revoked here; kept until the longest-lived token it could stand for has expired anyway.</summary>
    public void Add(string id, DateTime expiresUtc) => _expiresUtcById[id] = expiresUtc;

    /// <summary>Reads every revoked entry whose tokens could still be presented, and forgets those that expired.</summary>
    public async Task RefreshAsync(HavaleDb db, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(token => token.Status == Statuses.Revoked && token.Type == TokenTypeIdentifiers.AccessToken && token.ExpirationDate > nowUtc)
            .Select(token => new { token.Id, token.ExpirationDate })
            .ToListAsync(cancellationToken);
        // An authorization revoked stops every access token issued under it; no access token outlives the longest lifetime.
        var authorizations = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            .Where(authorization => authorization.Status == Statuses.Revoked)
            .Select(authorization => authorization.Id)
            .ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            Add(token.Id!, token.ExpirationDate ?? DateTime.MaxValue);
        }
        foreach (var id in authorizations)
        {
            Add(id!, DateTime.MaxValue);
        }
        foreach (var (id, expiresUtc) in _expiresUtcById)
        {
            if (expiresUtc <= nowUtc)
            {
                _expiresUtcById.TryRemove(id, out _);
            }
        }
    }
}

/// <summary>OpenIddict validation step: a token whose id, or whose authorization's id, was revoked is invalid.</summary>
public sealed class RejectRevokedTokens(RevokedTokens revoked) : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<RejectRevokedTokens>()
        .SetOrder(OpenIddictValidationHandlers.Protection.ValidateTokenEntry.Descriptor.Order)
        .SetType(OpenIddictValidationHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.Principal is { } principal && (revoked.Contains(principal.GetTokenId()) || revoked.Contains(principal.GetAuthorizationId())))
        {
            context.Reject(error: Errors.InvalidToken, description: "The token was revoked.");
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Keeps <see cref="RevokedTokens"/> current from the database, for revocations made on other nodes.</summary>
public sealed class RevokedTokensRefresher(IDbContextFactory<HavaleDb> dbFactory, RevokedTokens revoked, TimeProvider clock,
    ILogger<RevokedTokensRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(RevokedTokens.RefreshMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                // The gateway's clock, which OpenIddict also reads when it dates a token's expiry.
                await revoked.RefreshAsync(db, clock.GetUtcNow().UtcDateTime, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database away for a moment: the set stays as it was, and the next tick tries again.
                logger.LogWarning("Reading revoked tokens failed: {Error}", exception.GetType().Name);
            }
        }
    }
}
