using System.Text.Json.Serialization;

namespace Havale.Api.Auth;

/// <summary>
/// The body of Finnotech's token request (spec §2) as the OpenAPI document shows it. The endpoint does not bind it:
/// OpenIddict reads the request (<see cref="FinnotechProtocol.ReadTokenRequest"/>); the client authenticates with
/// HTTP Basic. Which fields a request needs depends on <c>grant_type</c>: client credentials take <c>nid</c> and
/// <c>scopes</c>; a code takes <c>code</c> and <c>redirect_uri</c>; a refresh takes <c>refresh_token</c> and
/// <c>token_type</c>; the sandbox shortcut takes <c>nid</c>, <c>scopes</c>, <c>deposits</c>, <c>limit</c> and <c>bank</c>.
/// </summary>
public sealed record FinnotechTokenRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("nid")] string? Nid,
    [property: JsonPropertyName("scopes")] string? Scopes,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("redirect_uri")] string? RedirectUri,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("deposits")] IReadOnlyList<string>? Deposits,
    [property: JsonPropertyName("limit")] long? Limit,
    [property: JsonPropertyName("bank")] string? Bank);

/// <summary>The form a standard OAuth client posts to <c>/connect/token</c> (RFC 6749 §4.1.3, §4.4.2, §6), with PKCE's verifier.</summary>
public sealed record StandardTokenForm(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("client_id")] string? ClientId,
    [property: JsonPropertyName("client_secret")] string? ClientSecret,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("redirect_uri")] string? RedirectUri,
    [property: JsonPropertyName("code_verifier")] string? CodeVerifier,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("nid")] string? Nid);

/// <summary>What <c>/connect/token</c> answers a standard OAuth client (RFC 6749 §5.1); OpenIddict writes it.</summary>
public sealed record StandardTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

/// <summary>A refusal of <c>/connect/token</c> as RFC 6749 §5.2 words it.</summary>
public sealed record StandardTokenError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);
