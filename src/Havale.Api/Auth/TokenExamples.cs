namespace Havale.Api.Auth;

/// <summary>The token management routes' wire types as the OpenAPI document shows them.</summary>
public static class TokenExamples
{
    private const string Ali = "0012345679";
    private const string GrantTypeClientCredentials = "client_credentials";
    private const string AccessToken = "eyJhbGciOiJSUzI1NiIs…";
    private const string RefreshToken = "rAjz0cQ6Vbm2…";

    public static IServiceCollection AddTokenExamples(this IServiceCollection services)
    {
        services.AddApiExample(new IssuedTokenSummary("4a040b2a-c71c-4039-84dc-cb94b5a7497e", Ali, "valid", "14081016100000", "14081026100000"));
        services.AddApiExample(new RevokeTokenRequest("eyJhbGciOiJSUzI1NiIs…", "CLIENT-CREDENTIAL"));
        services.AddApiExample(new RevokeTokenResult(true));
        services.AddApiExample(new FinnotechTokenRequest
        {
            GrantType = GrantTypeClientCredentials,
            Nid = Ali,
            Scopes = Scopes.IbanInquiry + "," + Scopes.KilidDepositsGet,
        });
        services.AddApiExample(new TokenResult(AccessToken, RefreshToken, [Scopes.IbanInquiry, Scopes.KilidDepositsGet], 864_000_000,
            "14081016100000", "CLIENT-CREDENTIAL", "062", Ali, [], "havale-demo", 100_000_000, null));
        services.AddApiExample(new StandardTokenForm
        {
            GrantType = "authorization_code",
            ClientId = "havale-demo",
            Code = "Yx3kQ9…",
            RedirectUri = "https://app.example/callback",
            CodeVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        });
        services.AddApiExample(new StandardTokenResponse(AccessToken, "Bearer", 864_000, RefreshToken));
        services.AddApiExample(new StandardTokenError("invalid_grant", "The specified authorization code is invalid."));
        return services;
    }
}
