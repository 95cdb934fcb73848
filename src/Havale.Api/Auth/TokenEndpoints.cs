using System.Text.Json;
using Havale.Api.Accounts;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Havale.Api.Auth;

/// <summary>
/// The token endpoint's own decisions, after OpenIddict has read the request and authenticated the client (and, for a
/// code or refresh token, validated it): what the grant is. OpenIddict then signs and stores the tokens, and
/// <see cref="FinnotechProtocol.WriteFinnotechTokenResponse"/> or OpenIddict's own writer answers.
/// </summary>
public static class TokenEndpoints
{
    public const string RateLimitPolicy = "token";

    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        FinnotechWire(routes.MapPost(FinnotechProtocol.TokenPath, ExchangeAsync).WithTags("OAuth"))
            .WithSummary("Finnotech's token endpoint: client credentials, a consent's code, or a refresh; the client authenticates with HTTP Basic.");
        // Standard OAuth clients (the consent page's code flow) get OAuth's own answers, which OpenIddict writes.
        routes.MapPost(FinnotechProtocol.StandardTokenPath, ExchangeAsync).WithTags("OAuth").RequireRateLimiting(RateLimitPolicy)
            .DocumentsBody<StandardTokenForm>("application/x-www-form-urlencoded")
            .Produces<StandardTokenResponse>(StatusCodes.Status200OK)
            .Produces<StandardTokenError>(StatusCodes.Status400BadRequest)
            .Produces<StandardTokenError>(StatusCodes.Status401Unauthorized)
            .WithMetadata(OwnFailuresMetadata.Instance)
            .WithSummary("The same exchange for standard OAuth clients: a form in, RFC 6749's token response out.");
        return routes;
    }

    /// <summary>
    /// The sandbox shortcut is the same exchange on its own path, mapped into the sandbox's /sandbox/v1 group so that
    /// production mode (no group) has no such route; OpenIddict knows the full path as <see cref="FinnotechProtocol.SandboxTokenPath"/>.
    /// </summary>
    public static RouteGroupBuilder MapSandboxTokenEndpoint(this RouteGroupBuilder sandboxGroup)
    {
        FinnotechWire(sandboxGroup.MapPost("/tokens", ExchangeAsync).WithTags("Sandbox"))
            .WithSummary("The sandbox shortcut: a code token for a seed person's deposits without the consent page.");
        return sandboxGroup;
    }

    /// <summary>
    /// Finnotech's paths take a JSON body and answer with the envelope, success and failure alike
    /// (<see cref="FinnotechProtocol.WriteFinnotechTokenResponse"/>); the handler returns no typed result, as OpenIddict writes the answer.
    /// </summary>
    private static RouteHandlerBuilder FinnotechWire(RouteHandlerBuilder builder)
        => builder.RequireRateLimiting(RateLimitPolicy)
            .DocumentsBody<FinnotechTokenRequest>("application/json")
            .Produces<SuccessEnvelope<TokenResult>>(StatusCodes.Status200OK);

    private static async Task<IResult> ExchangeAsync(HttpContext context, HavaleDb db, TimeProvider clock, IOptions<AuthOptions> options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("the token endpoint ran without OpenIddict reading the request");
        var outcome = request.GrantType switch
        {
            GrantTypes.ClientCredentials => await ClientCredentialsAsync(request, db, context.RequestAborted),
            GrantTypes.AuthorizationCode or GrantTypes.RefreshToken => await RedeemAsync(context, request),
            FinnotechProtocol.SandboxGrantType => await SandboxConsentAsync(request, db, context.RequestAborted),
            _ => GrantOutcome.Refuse(Errors.UnsupportedGrantType, "grant_type: is not supported"),
        };
        if (outcome.Grant is not { } grant)
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = outcome.Error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = outcome.Reason,
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var issuedUtc = clock.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        context.Features.Set(new IssuedGrant(grant, issuedUtc, lifetime));
        return Results.SignIn(grant.ToPrincipal(issuedUtc, lifetime), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<GrantOutcome> ClientCredentialsAsync(OpenIddictRequest request, HavaleDb db, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().SingleAsync(known => known.ClientId == request.ClientId, cancellationToken);
        var nid = (string?)request[FinnotechProtocol.NidParameter];
        if (string.IsNullOrEmpty(nid))
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, "nid: is required (the national code of a person registered on the client)");
        }
        if (!client.Nids.Contains(nid))
        {
            return GrantOutcome.Refuse(Errors.InvalidGrant, $"nid: {nid} is not registered on client {client.ClientId}");
        }
        var scopes = request.GetScopes().ToList();
        if (GrantRules.CheckScopes(client, scopes, isConsent: false) is { } scopeError)
        {
            return GrantOutcome.Refuse(Errors.InvalidScope, scopeError);
        }
        if (!TryReadBank(request, out var bank))
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, BankError);
        }
        // A client's people were checked as national codes when the client was registered (Sandbox/SeedValidator).
        var person = NationalCode.TryParse(nid, out var registered, out _)
            ? registered
            : throw new InvariantViolationException("invariant failed: a client's registered nid is a national code");
        return GrantOutcome.Allow(new FinnotechGrant(client.ClientId, person, [], client.MaxAmountPerTransactionRials,
            FinnotechTokenType.ClientCredential, scopes, bank));
    }

    /// <summary>A code or refresh token carries the grant it was made for; OpenIddict has already checked it is valid and this client's.</summary>
    private static async Task<GrantOutcome> RedeemAsync(HttpContext context, OpenIddictRequest request)
    {
        var redeemed = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (redeemed.Principal?.ToGrant() is not { } grant || grant.ClientId != request.ClientId)
        {
            return GrantOutcome.Refuse(Errors.InvalidGrant, "the code or refresh token is not valid");
        }
        var tokenType = (string?)request[FinnotechProtocol.TokenTypeParameter];
        if (request.IsRefreshTokenGrantType() && !string.IsNullOrEmpty(tokenType) && tokenType != grant.Type.WireName())
        {
            return GrantOutcome.Refuse(Errors.InvalidGrant, $"token_type: this refresh token belongs to a {grant.Type.WireName()} token");
        }
        return GrantOutcome.Allow(grant);
    }

    private static async Task<GrantOutcome> SandboxConsentAsync(OpenIddictRequest request, HavaleDb db, CancellationToken cancellationToken)
    {
        var client = await db.Clients.AsNoTracking().SingleAsync(known => known.ClientId == request.ClientId, cancellationToken);
        if (!NationalCode.TryParse((string?)request[FinnotechProtocol.NidParameter], out var nid, out var nidError))
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, $"nid: {nidError}");
        }
        var scopes = request.GetScopes().ToList();
        if (GrantRules.CheckScopes(client, scopes, isConsent: true) is { } scopeError)
        {
            return GrantOutcome.Refuse(Errors.InvalidScope, scopeError);
        }
        if (!TryReadLimit(request, out var limitRials))
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, "limit: must be a whole number of rials");
        }
        if (GrantRules.CheckLimit(client, limitRials) is { } limitError)
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, limitError);
        }
        var deposits = FinnotechProtocol.ReadList(request, FinnotechProtocol.DepositsParameter);
        if (deposits is null)
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, "deposits: must be a list of deposit numbers");
        }
        if (await GrantRules.CheckDepositsAsync(db, nid.Value, deposits, cancellationToken) is { } depositError)
        {
            return GrantOutcome.Refuse(Errors.InvalidGrant, depositError);
        }
        if (!TryReadBank(request, out var bank))
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, BankError);
        }
        if (GrantRules.CheckCount(ReadCount(request), out var callsPerMonth) is { } countError)
        {
            return GrantOutcome.Refuse(Errors.InvalidRequest, countError);
        }
        return GrantOutcome.Allow(new FinnotechGrant(client.ClientId, nid, FinnotechGrant.CheckedDeposits(deposits), limitRials!.Value,
            FinnotechTokenType.Code, scopes, bank, callsPerMonth is { } count ? MonthlyCallLimit.ForNewConsent(count) : null));
    }

    private const string BankError = "bank: must be the 3-digit code of a bank Havale knows, e.g. 062";

    /// <summary>The bank the token is for: absent means the host bank; anything else must be a known bank's code, as a string.</summary>
    private static bool TryReadBank(OpenIddictRequest request, out string bank)
    {
        bank = Banks.HostBankCode;
        if (request.GetParameter(FinnotechProtocol.BankParameter) is not { } parameter)
        {
            return true;
        }
        if (((JsonElement)parameter).ValueKind != JsonValueKind.String || (string?)parameter is not { } code)
        {
            return false;
        }
        if (code.Length == 0)
        {
            return true;
        }
        bank = code;
        return Banks.Find(code) is not null;
    }

    /// <summary>The sandbox shortcut's <c>count</c>, a number or a string of digits as the authorize link carries it; null when absent.</summary>
    private static string? ReadCount(OpenIddictRequest request)
        => request.GetParameter(FinnotechProtocol.CountParameter) is { } parameter
            ? ((JsonElement)parameter).ValueKind is JsonValueKind.Number or JsonValueKind.String ? (string?)parameter ?? "" : ""
            : null;

    private static bool TryReadLimit(OpenIddictRequest request, out long? limitRials)
    {
        limitRials = null;
        if (request[FinnotechProtocol.LimitParameter] is not { } parameter)
        {
            return true;
        }
        var text = (string?)parameter;
        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit))
        {
            limitRials = limit;
            return true;
        }
        return false;
    }

    private sealed record GrantOutcome(FinnotechGrant? Grant, string? Error, string? Reason)
    {
        public static GrantOutcome Allow(FinnotechGrant grant) => new(grant, null, null);
        public static GrantOutcome Refuse(string error, string reason) => new(null, error, reason);
    }
}
