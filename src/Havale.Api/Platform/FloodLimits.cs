using System.Threading.RateLimiting;
using Havale.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace Havale.Api.Platform;

/// <summary>Configuration under <c>Havale:Floods</c>: how much one client and one token may ask of one node.</summary>
public sealed class FloodLimitOptions
{
    public const string Section = "Havale:Floods";

    /// <summary>Calls per second one client may make, all its tokens together (a token bucket: bursts up to this).</summary>
    public int ClientRequestsPerSecond { get; set; } = 10_000;

    /// <summary>Calls one token may have in flight at once; more are refused, not queued.</summary>
    public int TokenConcurrentCallsMax { get; set; } = 1_024;
}

/// <summary>
/// Per-client and per-token limits on the Finnotech API (issue #10, item 5), so that one client's flood does not starve
/// another's calls. They are ASP.NET Core's rate limiter, but a second instance of it placed after the access check:
/// the first instance runs before authentication (where OpenIddict checks client secrets, so guessing them is
/// throttled) and cannot know whose call it is. A call over a limit is answered 429 TOO_MANY_REQUESTS in the envelope,
/// with Retry-After, before the call log, so the same trackId may be sent again.
/// <para>
/// The limits are per node, on purpose: a shared counter would cost a database round trip on every call, the hot
/// path's most precious resource, to protect against what is a load problem of each node. Behind a load balancer of N
/// nodes a client may make up to N times the per-node rate; set the limits for one node's share.
/// </para>
/// </summary>
public static class FloodLimits
{
    public static IServiceCollection AddHavaleFloodLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FloodLimitOptions.Section).Get<FloodLimitOptions>() ?? new FloodLimitOptions();
        Invariant(options.ClientRequestsPerSecond > 0 && options.TokenConcurrentCallsMax > 0,
            $"{FloodLimitOptions.Section}: ClientRequestsPerSecond and TokenConcurrentCallsMax must be greater than zero");
        var limiter = new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.Features.Get<FinnotechGrant>() is { } grant
                    ? RateLimitPartition.GetTokenBucketLimiter(grant.ClientId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.ClientRequestsPerSecond,
                        TokensPerPeriod = options.ClientRequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(context => context.Features.Get<FinnotechGrant>() is not null
                    ? RateLimitPartition.GetConcurrencyLimiter(context.Request.Headers.Authorization.ToString(), _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.TokenConcurrentCallsMax,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""))),
            OnRejected = RefuseAsync,
        };
        // The endpoints that name a policy of the first instance (token endpoint, logins) were limited there already.
        limiter.AddPolicy(TokenEndpoints.RateLimitPolicy, _ => RateLimitPartition.GetNoLimiter(""));
        limiter.AddPolicy(ConsentEndpoints.LoginRateLimitPolicy, _ => RateLimitPartition.GetNoLimiter(""));
        services.AddSingleton(new FloodLimiter(limiter));
        return services;
    }

    public static WebApplication UseHavaleFloodLimits(this WebApplication app)
    {
        app.UseRateLimiter(app.Services.GetRequiredService<FloodLimiter>().Options);
        return app;
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfterSeconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        rejected.HttpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await EnvelopeExceptionHandler.WriteFailureAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, ErrorCode.TooManyRequests,
            $"too many calls from this client or token; retry after {retryAfterSeconds} s with the same trackId");
    }

    private static void Invariant(bool holds, string message)
    {
        if (!holds)
        {
            throw new InvalidOperationException(message);
        }
    }
}

/// <summary>The second rate limiter's options, built once at start.</summary>
public sealed record FloodLimiter(RateLimiterOptions Options);
