using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Havale.Client;

/// <summary>
/// The retry rules, as one resilience pipeline around every attempt: a bound on the whole call, retries, and a bound
/// on each attempt. A request is sent again unchanged, so its trackId is the same and the gateway answers a second
/// arrival with the first one's answer instead of paying twice.
/// </summary>
internal static class HavaleResilience
{
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("Havale.NoRetry");

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, HavaleRetryOptions retry, ILogger logger)
    {
        pipeline.AddTimeout(new TimeoutStrategyOptions { Name = "havale-call", Timeout = retry.CallTimeout });
        if (retry.AttemptsMax > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "havale-retry",
                MaxRetryAttempts = retry.AttemptsMax - 1,
                Delay = retry.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(arguments.Outcome, arguments.Context)),
                OnRetry = arguments =>
                {
                    var request = arguments.Context.GetRequestMessage();
                    logger.LogWarning("Havale {Method} {Path}: attempt {Attempt} {Outcome}; sending it again with the same trackId in {DelayMs} ms",
                        request?.Method, request?.RequestUri?.AbsolutePath, arguments.AttemptNumber + 1, Describe(arguments.Outcome),
                        (long)arguments.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }
        pipeline.AddTimeout(new TimeoutStrategyOptions { Name = "havale-attempt", Timeout = retry.AttemptTimeout });
    }

    /// <summary>
    /// Sent again: no answer (a network error, an attempt that timed out) and 5xx. Never a 408 (the gateway has taken
    /// the payment and is waiting for the bank: sending it again cannot help, inquiry can), never another 4xx (the
    /// same request gets the same refusal), never the caller's own cancellation.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (context.GetRequestMessage() is { } request && request.Options.TryGetValue(NoRetry, out var noRetry) && noRetry)
        {
            return false;
        }
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }
        return outcome.Result is { } response && (int)response.StatusCode >= 500;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome)
        => outcome.Exception is { } exception ? $"got no answer ({exception.GetType().Name})"
            : $"answered HTTP {(int)(outcome.Result?.StatusCode ?? HttpStatusCode.InternalServerError)}";
}
