using Microsoft.AspNetCore.DataProtection;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Havale.Api.CallLog;
using Havale.Api.Sandbox;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;

namespace Havale.Api.Auth;

public static class AuthSetup
{
    /// <summary>OpenIddict's Trace lines hold whole tokens; its Debug lines are not all covered by a test, so they are cut too.</summary>
    private const LogLevel OpenIddictLogLevelMin = LogLevel.Information;

    public static IServiceCollection AddHavaleAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var sandbox = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<TokenKeys>();
        services.AddSingleton<RevokedTokens>();
        services.AddSingleton<VerifiedTokens>();
        services.AddHostedService<RevokedTokensRefresher>();
        services.AddHostedService<MonthlyCallPruning>();
        services.AddSingleton<ISeedContributor, ClientRegistration>();
        services.AddSingleton<ICallerClient, TokenCallerClient>();
        services.AddTokenExamples();

        // OpenIddict writes whole tokens into its Trace lines. A floor set in code, after the configuration's rules and
        // more specific than a blanket minimum, keeps them out of every log whatever the log level is set to.
        services.AddLogging(logging => logging.AddFilter("OpenIddict", level => level >= OpenIddictLogLevelMin));

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<HavaleDb>();
                core.ReplaceApplicationManager<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication, HavaleApplicationManager>();
            })
            .AddServer(server =>
            {
                // The first URI of each is the one discovery advertises: the standard ones for generic OAuth clients.
                server.SetAuthorizationEndpointUris(FinnotechProtocol.AuthorizePath.TrimStart('/'));
                var tokenUris = new List<string> { FinnotechProtocol.StandardTokenPath.TrimStart('/'), FinnotechProtocol.TokenPath.TrimStart('/') };
                if (sandbox.Enabled)
                {
                    tokenUris.Add(FinnotechProtocol.SandboxTokenPath.TrimStart('/'));
                    server.AllowCustomFlow(FinnotechProtocol.SandboxGrantType);
                }
                server.SetTokenEndpointUris([.. tokenUris]);
                server.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow();
                server.SetAccessTokenLifetime(options.AccessTokenLifetime);
                server.SetRefreshTokenLifetime(options.RefreshTokenLifetime);
                if (!string.IsNullOrWhiteSpace(options.Issuer))
                {
                    server.SetIssuer(new Uri(options.Issuer));
                }
                // Clients decode the access token's payload (pyfinnotech reads its claims): signed, never encrypted.
                server.DisableAccessTokenEncryption();
                // Havale's client row is the one place that says which scopes and grants a client has; the endpoints
                // check it (GrantRules), so OpenIddict's parallel permission lists would only drift from it.
                server.IgnoreEndpointPermissions().IgnoreGrantTypePermissions().IgnoreResponseTypePermissions().IgnoreScopePermissions();
                server.DisableScopeValidation();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    // An authorize request that cannot go back to the client (unknown client or redirect URI) reaches
                    // the consent endpoint, which shows a Persian error page instead of OpenIddict's plain text.
                    .EnableErrorPassthrough()
                    // The sandbox listens on plain HTTP on loopback; in production TLS ends at the proxy in front.
                    .DisableTransportSecurityRequirement();
                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ExtractPostRequest<OpenIddictServerEvents.ExtractTokenRequestContext>.Descriptor);
                server.AddEventHandler(FinnotechProtocol.ReadTokenRequest.Descriptor);
                server.AddEventHandler(FinnotechProtocol.NormalizeAuthorizationScopes.Descriptor);
                server.AddEventHandler(FinnotechProtocol.AlwaysIssueRefreshToken.Descriptor);
                server.AddEventHandler(FinnotechProtocol.WriteFinnotechTokenResponse.Descriptor);
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                // No database round trip per request: signature and lifetime are checked in memory, and revocation
                // against a set each node keeps current from the store (RevokedTokens, within a second across nodes).
                validation.AddEventHandler(RejectRevokedTokens.Descriptor);
                validation.AddEventHandler(VerifiedTokens.UseVerified.Descriptor);
                validation.AddEventHandler(VerifiedTokens.KeepVerified.Descriptor);
                // Finnotech sends tokens in the Authorization header only; a token in a URL ends up in access logs.
                validation.UseAspNetCore().DisableAccessTokenExtractionFromQueryString().DisableAccessTokenExtractionFromBodyForm();
            });

        // The keys are read from the database after migrations; OpenIddict's options are built later, on first use.
        services.AddOptions<OpenIddictServerOptions>().Configure<TokenKeys>((server, keys) =>
        {
            server.SigningCredentials.Add(new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256));
            server.EncryptionCredentials.Add(new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });

        // The consent and console cookies and the antiforgery tokens are sealed with Data Protection keys. Kept in the
        // database, not in each node's home folder, so that a cookie one node issued is read by any other behind the
        // same load balancer; one application name, so that nodes installed in different folders share the key ring.
        services.AddDataProtection().SetApplicationName("Havale").PersistKeysToDbContext<HavaleDb>();
        services.AddAuthentication().AddCookie(ConsentSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = "havale.consent";
            cookie.Cookie.Path = "/dev/v2/oauth2";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(AuthLimits.ConsentSessionMinutes);
            cookie.SlidingExpiration = false;
        });
        // One antiforgery cookie for every form Havale serves: the consent page's and the signatory console's (/console).
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.Path = "/");

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(TokenEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                $"{context.Connection.RemoteIpAddress}|{BasicClientId(context.Request)}",
                _ => PerMinute(options.TokenRequestsPerMinute)));
            limiter.AddPolicy(ConsentEndpoints.LoginRateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => PerMinute(options.LoginAttemptsPerMinute)));
        });
        return services;
    }

    public static WebApplication MapHavaleAuth(this WebApplication app)
    {
        app.MapTokenEndpoints();
        app.MapConsentEndpoints();
        app.MapTokenManagement();
        return app;
    }

    /// <summary>Signing keys, and the revocations made before this process started, before the first call is taken.</summary>
    public static async Task LoadTokenKeysAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<HavaleDb>>();
        var clock = services.GetRequiredService<TimeProvider>();
        await services.GetRequiredService<TokenKeys>().LoadAsync(dbFactory, clock, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await services.GetRequiredService<RevokedTokens>().RefreshAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken);
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    /// <summary>The client id of an HTTP Basic header, for rate-limit partitions only (the secret is never looked at here).</summary>
    private static string BasicClientId(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return "";
        }
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':');
            return colon > 0 ? decoded[..colon] : "";
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
