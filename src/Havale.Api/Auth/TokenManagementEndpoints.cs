using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Havale.Api.Auth;

public sealed record RevokeTokenRequest(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("token_type")] string? TokenType);

public sealed record RevokeTokenResult(bool Revoked);

/// <summary>One issued access token as the list shows it; the token itself is never shown again.</summary>
public sealed record IssuedTokenSummary(string Id, string? UserId, string Status, string? CreationDate, string? ExpirationDate);

/// <summary>A client's own tokens: list them, revoke one (spec §2). The token's shape in the list is Havale's design.</summary>
public static class TokenManagementEndpoints
{
    public static IEndpointRouteBuilder MapTokenManagement(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/dev/v2/clients/{clientId}").WithTags("OAuth");
        group.MapGet("/tokens", ListAsync).RequireFinnotechScope(Scopes.TokensGet);
        group.MapDelete("/token", RevokeAsync).RequireFinnotechClientCredential();
        return routes;
    }

    private static async Task<JsonHttpResult<SuccessEnvelope<List<IssuedTokenSummary>>>> ListAsync(HttpContext context, FinnotechGrant grant, HavaleDb db)
    {
        var tokens = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(token => token.Application!.ClientId == grant.ClientId && token.Type == TokenTypeIdentifiers.AccessToken)
            .OrderByDescending(token => token.CreationDate)
            .Take(AuthLimits.TokensListedMax)
            .Select(token => new { token.Id, token.Subject, token.Status, token.CreationDate, token.ExpirationDate })
            .ToListAsync(context.RequestAborted);
        return Envelopes.Ok(context, tokens.Select(token => new IssuedTokenSummary(token.Id!, token.Subject, token.Status ?? Statuses.Valid,
            JalaliOrNull(token.CreationDate), JalaliOrNull(token.ExpirationDate))).ToList());
    }

    private static string? JalaliOrNull(DateTime? utc)
        => utc is { } value ? Jalali.KilidDateTime(new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc))) : null;

    /// <summary>
    /// Revokes one of the caller's own tokens (access or refresh). The token is validated by the authorization server
    /// first, so a forged token cannot name someone else's entry; another client's token gets the same answer as a
    /// token that never existed.
    /// </summary>
    private static async Task<JsonHttpResult<SuccessEnvelope<RevokeTokenResult>>> RevokeAsync(HttpContext context, FinnotechGrant grant, [Microsoft.AspNetCore.Mvc.FromBody] RevokeTokenRequest body,
        IOpenIddictServerFactory serverFactory, IOpenIddictServerDispatcher dispatcher, IOpenIddictTokenManager tokenManager,
        IOpenIddictApplicationManager applicationManager, RevokedTokens revokedTokens)
    {
        if (string.IsNullOrEmpty(body.Token))
        {
            throw ApiProblem.Field("token", "is required");
        }
        if (body.TokenType is not null && !FinnotechTokenTypes.TryParse(body.TokenType, out _))
        {
            throw ApiProblem.Field("token_type", "must be CODE or CLIENT-CREDENTIAL");
        }
        var transaction = await serverFactory.CreateTransactionAsync();
        var validation = new OpenIddictServerEvents.ValidateTokenContext(transaction)
        {
            Token = body.Token,
            DisableAudienceValidation = true,
            DisableLifetimeValidation = true,
            DisablePresenterValidation = true,
        };
        validation.ValidTokenTypes.Add(TokenTypeIdentifiers.AccessToken);
        validation.ValidTokenTypes.Add(TokenTypeIdentifiers.RefreshToken);
        await dispatcher.DispatchAsync(validation);

        var entry = !validation.IsRejected && validation.Principal?.GetTokenId() is { } tokenId
            ? await tokenManager.FindByIdAsync(tokenId, context.RequestAborted)
            : null;
        var owner = entry is not null && await tokenManager.GetApplicationIdAsync(entry, context.RequestAborted) is { } applicationId
            ? await applicationManager.FindByIdAsync(applicationId, context.RequestAborted)
            : null;
        if (owner is null || await applicationManager.GetClientIdAsync(owner, context.RequestAborted) != grant.ClientId)
        {
            throw ApiProblem.Field("token", "is not a token issued to this client");
        }
        var revoked = await tokenManager.TryRevokeAsync(entry!, context.RequestAborted);
        if (revoked)
        {
            // This node stops the token at once; the others when they next read the store (RevokedTokens.RefreshMs).
            var expiresUtc = await tokenManager.GetExpirationDateAsync(entry!, context.RequestAborted);
            revokedTokens.Add(validation.Principal!.GetTokenId()!, expiresUtc?.UtcDateTime ?? DateTime.MaxValue);
        }
        return Envelopes.Ok(context, new RevokeTokenResult(revoked));
    }
}
