namespace Havale.Api.Features.Webhooks;

/// <summary>Configuration under <c>Havale:Webhooks</c>: the dispatcher's pace, the retry schedule and when an endpoint is disabled.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Havale:Webhooks";

    /// <summary>
    /// The clock of delivery: attempts, backoff, leases, the retry window, rotation overlaps and the signed timestamp
    /// are transport matters, measured in real time, and a receiver checks the timestamp against its own wall clock.
    /// The sandbox clock, which tests move and hold still, dates only the events themselves (the business time of the change).
    /// </summary>
    public TimeProvider WallClock { get; } = TimeProvider.System;

    /// <summary>How long a delivery is retried before it is given up: 3 days, as Standard Webhooks' senders commonly do.</summary>
    public int RetryWindowSeconds { get; set; } = 3 * 24 * 3600;

    /// <summary>The wait before the second attempt; each later wait is four times the one before, up to <see cref="RetryDelaySecondsMax"/>.</summary>
    public double RetryDelaySecondsFirst { get; set; } = 5;

    public double RetryDelaySecondsMax { get; set; } = 6 * 3600;

    /// <summary>How long one attempt may take, connection and answer together.</summary>
    public int AttemptTimeoutSeconds { get; set; } = 5;

    /// <summary>A claimed delivery is this node's for this long; after it a node that died mid-attempt is taken over.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often an idle dispatcher looks for work.</summary>
    public int PollIntervalMs { get; set; } = 1_000;

    /// <summary>Attempts failed in a row (on any of its deliveries) after which an endpoint is disabled.</summary>
    public int ConsecutiveFailuresMax { get; set; } = 1_000;

    /// <summary>Deliveries sent at once by one node.</summary>
    public int ParallelAttemptsMax { get; set; } = 8;

    public void Validate()
    {
        if (RetryWindowSeconds < 1 || RetryDelaySecondsFirst <= 0 || RetryDelaySecondsMax < RetryDelaySecondsFirst || AttemptTimeoutSeconds < 1
            || LeaseSeconds <= AttemptTimeoutSeconds || PollIntervalMs < 10 || ConsecutiveFailuresMax < 1 || ParallelAttemptsMax < 1)
        {
            throw new InvalidOperationException(
                $"{Section}: the retry window, delays, attempt timeout, poll interval, failure count and parallelism must be positive, "
                + "and the lease longer than an attempt's timeout.");
        }
    }

    /// <summary>The wait after the given failed attempt (1-based), with ±20 % jitter so that many receivers coming back are not hit at once.</summary>
    public TimeSpan DelayAfter(int attempts, double jitter)
    {
        var seconds = Math.Min(RetryDelaySecondsMax, RetryDelaySecondsFirst * Math.Pow(4, Math.Min(attempts - 1, 30)));
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * jitter));
    }
}
