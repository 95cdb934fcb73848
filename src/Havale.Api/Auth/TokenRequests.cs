using System.Text.Json.Serialization;

namespace Havale.Api.Auth;

/// <summary>
/// The body of Finnotech's token request (spec §2) as the OpenAPI document shows it. The endpoint does not bind it:
/// OpenIddict reads the request (<see cref="FinnotechProtocol.ReadTokenRequest"/>); the client authenticates with
/// HTTP Basic. Which fields a request needs depends on <c>grant_type</c>: client credentials take <c>nid</c> and
/// <c>scopes</c>; a code takes <c>code</c> and <c>redirect_uri</c>; a refresh takes <c>refresh_token</c> and
/// <c>token_type</c>; the sandbox shortcut takes <c>nid</c>, <c>scopes</c>, <c>deposits</c>, <c>limit</c> and <c>bank</c>.
/// </summary>
public sealed record FinnotechTokenRequest
{
    [JsonPropertyName("grant_type")] public required string GrantType { get; init; }
    [JsonPropertyName("nid")] public string? Nid { get; init; }
    [JsonPropertyName("scopes")] public string? Scopes { get; init; }
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("redirect_uri")] public string? RedirectUri { get; init; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }
    [JsonPropertyName("deposits")] public IReadOnlyList<string>? Deposits { get; init; }
    [JsonPropertyName("limit")] public long? Limit { get; init; }
    [JsonPropertyName("bank")] public string? Bank { get; init; }
}

/// <summary>The form a standard OAuth client posts to <c>/connect/token</c> (RFC 6749 §4.1.3, §4.4.2, §6), with PKCE's verifier.</summary>
public sealed record StandardTokenForm
{
    [JsonPropertyName("grant_type")] public required string GrantType { get; init; }
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }
    [JsonPropertyName("client_secret")] public string? ClientSecret { get; init; }
    [JsonPropertyName("code")] public string? Code { get; init; }
    [JsonPropertyName("redirect_uri")] public string? RedirectUri { get; init; }
    [JsonPropertyName("code_verifier")] public string? CodeVerifier { get; init; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("nid")] public string? Nid { get; init; }
}

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
