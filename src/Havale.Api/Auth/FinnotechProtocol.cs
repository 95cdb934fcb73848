using System.Text.Json;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Havale.Api.Auth;

/// <summary>
/// Where Finnotech's wire differs from standard OAuth, and how Havale bends OpenIddict to it. Finnotech's token
/// endpoint takes JSON (not a form), spells the scope list "scopes" with commas, and answers inside the
/// {trackId, result, status} envelope; OpenIddict still does all the protocol work (client authentication,
/// code and refresh-token validation, rotation, storage), only reading and writing are Havale's.
/// </summary>
public static class FinnotechProtocol
{
    public const string TokenPath = "/dev/v2/oauth2/token";
    public const string AuthorizePath = "/dev/v2/oauth2/authorize";
    public const string StandardTokenPath = "/connect/token";
    public const string SandboxTokenPath = "/sandbox/v1/tokens";

    /// <summary>The sandbox shortcut is an authorization-code grant without the page; inside, it is its own grant type.</summary>
    public const string SandboxGrantType = "urn:havale:params:oauth:grant-type:sandbox-consent";

    /// <summary>Finnotech's request fields that are not standard OAuth parameter names.</summary>
    public const string NidParameter = "nid";
    public const string DepositsParameter = "deposits";
    public const string LimitParameter = "limit";
    /// <summary>The calls a month the consent grants (the token's monthlyCallLimitation); absent means no such limit.</summary>
    public const string CountParameter = "count";
    public const string BankParameter = "bank";
    public const string TokenTypeParameter = "token_type";

    private const string FinnotechTransactionProperty = "havale:finnotech-wire";

    /// <summary>Not an OAuth error code: Finnotech's paths answer it as 405, standard OAuth clients see it as it is.</summary>
    private const string MethodNotAllowedError = "method_not_allowed";

    public static bool IsFinnotechTokenPath(PathString path)
        => path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase) || path.Equals(SandboxTokenPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>A list parameter (JSON array or repeated form field) as strings; null when it is not a list of strings.</summary>
    public static List<string>? ReadList(OpenIddictRequest request, string name)
    {
        if (request.GetParameter(name) is not { } parameter)
        {
            return [];
        }
        var values = (System.Collections.Immutable.ImmutableArray<string?>?)parameter;
        return values is not { } list || list.Any(string.IsNullOrEmpty) ? null : list.Select(value => value!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>"a,b" (Finnotech) or "a b" (OAuth) into a list; empty entries are dropped.</summary>
    public static List<string> SplitScopes(string? scopes)
        => (scopes ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Reads a token request: a JSON body on Finnotech's paths, a form elsewhere (standard OAuth clients).
    /// Replaces OpenIddict's form reader, which refuses JSON outright.
    /// </summary>
    public sealed class ReadTokenRequest : IOpenIddictServerHandler<ExtractTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractTokenRequestContext>()
            .UseSingletonHandler<ReadTokenRequest>()
            .SetOrder(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<ExtractTokenRequestContext>.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ExtractTokenRequestContext context)
        {
            var request = context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("not an ASP.NET Core request");
            if (IsFinnotechTokenPath(request.Path))
            {
                context.Transaction.Properties[FinnotechTransactionProperty] = true;
            }
            if (!HttpMethods.IsPost(request.Method))
            {
                context.Reject(MethodNotAllowedError, $"method {request.Method} is not allowed on {request.Path}: the token endpoint takes POST");
                return;
            }
            if (!IsFinnotechTokenPath(request.Path))
            {
                if (request.HasFormContentType)
                {
                    context.Transaction.Request = new OpenIddictRequest(await request.ReadFormOrRefuseAsync(context.CancellationToken));
                    return;
                }
                context.Reject(Errors.InvalidRequest, "Content-Type must be application/x-www-form-urlencoded");
                return;
            }

            if (!request.HasJsonContentType())
            {
                context.Reject(Errors.InvalidRequest, "Content-Type must be application/json");
                return;
            }
            JsonElement body;
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body,
                    new JsonDocumentOptions { MaxDepth = Limits.JsonDepthMax }, context.CancellationToken);
                body = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                context.Reject(Errors.InvalidRequest, EnvelopeExceptionHandler.DescribeJson(exception));
                return;
            }
            if (body.ValueKind != JsonValueKind.Object)
            {
                context.Reject(Errors.InvalidRequest, "request body must be a JSON object");
                return;
            }
            if (HavaleJson.FindFault(body) is { } fault)
            {
                context.Reject(Errors.InvalidRequest, $"{fault.Path}: {fault.Reason}");
                return;
            }
            // Finnotech's token fields are strings and numbers, and one list of strings (deposits). OpenIddict would take
            // an empty object or list for an absent parameter, so a field of the wrong shape could pass unnoticed.
            if (body.EnumerateObject().FirstOrDefault(property => property.Value.ValueKind == JsonValueKind.Object
                    || property.Value.ValueKind == JsonValueKind.Array && property.Name != DepositsParameter) is { Value.ValueKind: not JsonValueKind.Undefined } misshapen)
            {
                context.Reject(Errors.InvalidRequest, $"{misshapen.Name}: has the wrong type");
                return;
            }
            context.Transaction.Request = ToOpenIddictRequest(body, isSandbox: request.Path.Equals(SandboxTokenPath, StringComparison.OrdinalIgnoreCase));
        }

        private static OpenIddictRequest ToOpenIddictRequest(JsonElement body, bool isSandbox)
        {
            var request = new OpenIddictRequest();
            foreach (var property in body.EnumerateObject())
            {
                var name = property.Name == "scopes" ? Parameters.Scope : property.Name;
                if (name == Parameters.Scope && property.Value.ValueKind == JsonValueKind.String)
                {
                    request.Scope = string.Join(' ', SplitScopes(property.Value.GetString()));
                    continue;
                }
                request.SetParameter(name, new OpenIddictParameter(property.Value));
            }
            if (isSandbox)
            {
                // The body says authorization_code (what the client is standing in for); only this path may mint without a code.
                request.GrantType = request.GrantType == GrantTypes.AuthorizationCode ? SandboxGrantType : "unsupported:" + request.GrantType;
            }
            else if (request.GrantType == SandboxGrantType)
            {
                request.GrantType = "unsupported";
            }
            return request;
        }
    }

    /// <summary>Finnotech's authorize link carries "scope=a,b"; OpenIddict and everything after it see "a b".</summary>
    public sealed class NormalizeAuthorizationScopes : IOpenIddictServerHandler<ExtractAuthorizationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ExtractAuthorizationRequestContext>()
            .UseSingletonHandler<NormalizeAuthorizationScopes>()
            .SetOrder(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.ExtractGetOrPostRequest<ExtractAuthorizationRequestContext>.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ExtractAuthorizationRequestContext context)
        {
            if (context.Request is { Scope: { } scope } request && scope.Contains(','))
            {
                request.Scope = string.Join(' ', SplitScopes(scope));
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Every Finnotech token result carries a refresh token, client-credential ones included (Finnotech's JS SDK
    /// refreshes them); OpenIddict by default issues one only for the offline_access scope.
    /// </summary>
    public sealed class AlwaysIssueRefreshToken : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseSingletonHandler<AlwaysIssueRefreshToken>()
            .SetOrder(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.EndpointType is OpenIddictServerEndpointType.Token)
            {
                context.GenerateRefreshToken = true;
                context.IncludeRefreshToken = true;
            }
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Writes the token response of Finnotech's paths as the envelope, success and failure alike.</summary>
    public sealed class WriteFinnotechTokenResponse : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<WriteFinnotechTokenResponse>()
            .SetOrder(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (!context.Transaction.Properties.ContainsKey(FinnotechTransactionProperty))
            {
                return;
            }
            var http = (context.Transaction.GetHttpRequest() ?? throw new InvalidOperationException("not an ASP.NET Core request")).HttpContext;
            var response = context.Response;
            if (string.IsNullOrEmpty(response.Error))
            {
                var issued = http.Features.Get<IssuedGrant>()
                    ?? throw new InvalidOperationException("a token was issued without the grant it was issued for");
                var result = TokenResult.From(issued, response.AccessToken!, response.RefreshToken ?? "");
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.Headers.CacheControl = "no-store";
                await http.Response.WriteAsJsonAsync(new SuccessEnvelope<TokenResult>(http.CallTrackId(), result),
                    HavaleJson.Options, context.CancellationToken);
            }
            else
            {
                var (status, code, message) = Describe(response.Error, response.ErrorDescription);
                http.Response.Headers.CacheControl = "no-store";
                await EnvelopeExceptionHandler.WriteFailureAsync(http, status, code, message);
            }
            context.HandleRequest();
        }

        private static (int Status, ErrorCode Code, string Message) Describe(string error, string? description) => error switch
        {
            Errors.InvalidClient => (StatusCodes.Status401Unauthorized, ErrorCode.Unauthorized, "invalid client credentials"),
            MethodNotAllowedError => (StatusCodes.Status405MethodNotAllowed, ErrorCode.ValidationError, FinnotechMessage(description)),
            Errors.UnsupportedGrantType => (StatusCodes.Status400BadRequest, ErrorCode.ValidationError,
                "grant_type: must be authorization_code, client_credentials or refresh_token"),
            _ => (StatusCodes.Status400BadRequest, ErrorCode.ValidationError, FinnotechMessage(description)),
        };

        /// <summary>OpenIddict's descriptions are English sentences with a link; the caller gets the sentence.</summary>
        private static string FinnotechMessage(string? description)
        {
            var text = description ?? "the token request was refused";
            var link = text.IndexOf(" To learn more", StringComparison.Ordinal);
            return link > 0 ? text[..link] : text;
        }
    }
}

/// <summary>What the token endpoint handed OpenIddict to sign, kept on the request for the response writer.</summary>
public sealed record IssuedGrant(FinnotechGrant Grant, DateTimeOffset IssuedUtc, TimeSpan AccessTokenLifetime);

/// <summary>The token endpoint's <c>result</c>, field for field as Finnotech returns it (spec §2).</summary>
public sealed record TokenResult(
    string Value,
    string RefreshToken,
    IReadOnlyList<string> Scopes,
    long LifeTime,
    string CreationDate,
    string Type,
    string Bank,
    string UserId,
    IReadOnlyList<string> Deposits,
    string ClientId,
    long MaxAmountPerTransaction,
    long? MonthlyCallLimitation)
{
    public static TokenResult From(IssuedGrant issued, string accessToken, string refreshToken)
    {
        var grant = issued.Grant;
        return new TokenResult(accessToken, refreshToken, grant.Scopes, (long)issued.AccessTokenLifetime.TotalMilliseconds,
            Havale.Domain.Jalali.KilidDateTime(issued.IssuedUtc), grant.Type.WireName(), grant.Bank, grant.Nid.Value,
            grant.Deposits.Select(deposit => deposit.Value).ToList(), grant.ClientId, grant.MaxAmountPerTransactionRials,
            MonthlyCallLimitation: grant.MonthlyCalls?.CallsPerMonthMax);
    }
}
