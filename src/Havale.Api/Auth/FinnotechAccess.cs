using Havale.Api.CallLog;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Validation.AspNetCore;

namespace Havale.Api.Auth;

/// <summary>Endpoint metadata: what a token must allow for this endpoint to run (<c>AlsoAccepted</c>: a second scope that serves too).</summary>
public sealed record FinnotechAccessMetadata(string? Scope, FinnotechTokenType? RequiredType, string? AlsoAccepted = null);

public static class FinnotechAccessExtensions
{
    /// <summary>
    /// The one way an endpoint is protected: a valid Havale token with this scope, issued to the path's
    /// <c>{clientId}</c>, for the path's <c>{nid}</c>, covering the path's <c>{deposit}</c> (whichever of them the route has).
    /// Handlers then take a <see cref="FinnotechGrant"/> parameter.
    /// </summary>
    public static TBuilder RequireFinnotechScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.All.Contains(scope))
        {
            throw new ArgumentException($"'{scope}' is not in Scopes.All", nameof(scope));
        }
        return builder.WithMetadata(new FinnotechAccessMetadata(scope, null));
    }

    /// <summary>As <see cref="RequireFinnotechScope{TBuilder}(TBuilder, string)"/>, where a second scope serves too (a public page prints another name).</summary>
    public static TBuilder RequireFinnotechScope<TBuilder>(this TBuilder builder, string scope, string alsoAccepted) where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.All.Contains(scope) || !Scopes.All.Contains(alsoAccepted))
        {
            throw new ArgumentException($"'{scope}' and '{alsoAccepted}' must be in Scopes.All", nameof(scope));
        }
        return builder.WithMetadata(new FinnotechAccessMetadata(scope, null, alsoAccepted));
    }

    /// <summary>Calls a client makes about itself rather than a customer (token revocation): any client-credential token of the path's client.</summary>
    public static TBuilder RequireFinnotechClientCredential<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new FinnotechAccessMetadata(null, FinnotechTokenType.ClientCredential));
}

/// <summary>
/// Enforces <see cref="FinnotechAccessMetadata"/> before any handler or the call log runs. Answers, as the spec says:
/// no token 401 UNAUTHORIZED; an expired, revoked or forged token 403 VALIDATION_ERROR "invalid token" (the SDKs
/// refresh on exactly that); a valid token that may not make this call 403 FORBIDDEN — the same answer whether or
/// not the client, person or deposit in the path exists.
/// </summary>
public sealed class FinnotechAccessMiddleware(RequestDelegate next)
{
    public const string InvalidTokenMessage = "invalid token";

    public async Task InvokeAsync(HttpContext context)
    {
        var access = context.GetEndpoint()?.Metadata.GetMetadata<FinnotechAccessMetadata>();
        if (access is null)
        {
            await next(context);
            return;
        }
        var authentication = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (authentication.None)
        {
            throw new ApiProblem(ErrorCode.Unauthorized, "a bearer token is required");
        }
        if (!authentication.Succeeded || authentication.Principal.ToGrant() is not { } grant)
        {
            throw new ApiProblem(ErrorCode.ValidationError, InvalidTokenMessage, StatusCodes.Status403Forbidden);
        }
        if (await RefusalAsync(context, access, grant) is { } refusal)
        {
            throw new ApiProblem(ErrorCode.Forbidden, refusal);
        }
        context.User = authentication.Principal;
        context.Features.Set(grant);
        await next(context);
    }

    private static async Task<string?> RefusalAsync(HttpContext context, FinnotechAccessMetadata access, FinnotechGrant grant)
    {
        if (access.Scope is { } scope && !grant.HasScope(scope) && !(access.AlsoAccepted is { } alsoAccepted && grant.HasScope(alsoAccepted)))
        {
            return $"this token does not carry the scope {scope}";
        }
        if (access.RequiredType is { } type && grant.Type != type)
        {
            return $"this call takes a {type.WireName()} token";
        }
        if (context.GetRouteValue("clientId") is string clientId && clientId != grant.ClientId)
        {
            return "this token was not issued to the client in the path";
        }
        if (context.GetRouteValue("nid") is string nid && nid != grant.Nid.Value)
        {
            return "this token was not issued for the person in the path";
        }
        if (context.GetRouteValue("deposit") is string deposit && !await MayActOnAsync(context, grant, deposit))
        {
            return "this token does not cover the deposit in the path";
        }
        return null;
    }

    /// <summary>
    /// A code token covers only the deposits the customer ticked, and only while the customer still may act on them;
    /// a client-credential token covers whatever its person may act on. One query either way, and the same answer for
    /// a deposit that does not exist as for one that is someone else's.
    /// </summary>
    private static async Task<bool> MayActOnAsync(HttpContext context, FinnotechGrant grant, string deposit)
    {
        if (grant.Type == FinnotechTokenType.Code && !grant.HasDeposit(deposit))
        {
            return false;
        }
        var db = context.RequestServices.GetRequiredService<HavaleDb>();
        return await GrantRules.ActableDeposits(db, grant.Nid.Value).AnyAsync(actable => actable == deposit, context.RequestAborted);
    }
}

/// <summary>The call log's client is the token's: no token, no log (and nobody can use another client's trackIds).</summary>
public sealed class TokenCallerClient : ICallerClient
{
    public string? Find(HttpContext context) => context.Features.Get<FinnotechGrant>()?.ClientId;
}
