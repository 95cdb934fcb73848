using Havale.Api.Platform;

namespace Havale.Api.Auth;

/// <summary>The token management routes' wire types as the OpenAPI document shows them.</summary>
public static class TokenExamples
{
    public static IServiceCollection AddTokenExamples(this IServiceCollection services)
    {
        services.AddApiExample(new IssuedTokenSummary("4a040b2a-c71c-4039-84dc-cb94b5a7497e", "0012345679", "valid", "14081016100000", "14081026100000"));
        services.AddApiExample(new RevokeTokenRequest("eyJhbGciOiJSUzI1NiIs…", "CLIENT-CREDENTIAL"));
        services.AddApiExample(new RevokeTokenResult(true));
        return services;
    }
}
