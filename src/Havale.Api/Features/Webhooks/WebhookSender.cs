using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// One attempt of one claimed delivery: signed as Standard Webhooks says, sent with a short timeout, at most
/// <see cref="WebhookLimits.ResponseBytesMax"/> of the answer read, and its outcome written only while this node
/// still holds the delivery's lease.
/// </summary>
public sealed class WebhookSender(IDbContextFactory<HavaleDb> dbFactory, IHttpClientFactory httpClients, WebhookOptions options,
    ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "havale-webhooks";

    private sealed record Attempt(WebhookDelivery Delivery, WebhookEndpoint Endpoint, string EventId, string Payload);

    public async Task AttemptAsync(long deliveryId, string leaseToken, CancellationToken cancellationToken)
    {
        Attempt? attempt;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            attempt = await (from delivery in db.WebhookDeliveries.AsNoTracking()
                             join endpoint in db.WebhookEndpoints.AsNoTracking() on delivery.EndpointId equals endpoint.Id
                             join outboxEvent in db.WebhookEvents.AsNoTracking() on delivery.EventId equals outboxEvent.Id
                             where delivery.Id == deliveryId && delivery.LeaseToken == leaseToken
                             select new Attempt(delivery, endpoint, outboxEvent.PublicId, outboxEvent.Payload)).SingleOrDefaultAsync(cancellationToken);
        }
        if (attempt is null)
        {
            return;
        }
        var (status, error, latencyMs) = await SendAsync(attempt, cancellationToken);
        await RecordAsync(attempt, leaseToken, status, error, latencyMs, cancellationToken);
    }

    private async Task<(int? Status, string? Error, int LatencyMs)> SendAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var nowUtc = options.WallClock.GetUtcNow();
        var timestamp = nowUtc.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, attempt.Endpoint.Url)
        {
            Content = new StringContent(attempt.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", attempt.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigner.SignatureHeader(attempt.Endpoint, attempt.EventId, timestamp, attempt.Payload, nowUtc));
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainAsync(response, timeout.Token);
            return ((int)response.StatusCode, null, ElapsedMs(started));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException
                                          && !cancellationToken.IsCancellationRequested)
        {
            var error = exception is OperationCanceledException ? $"no answer within {options.AttemptTimeoutSeconds} s" : exception.Message;
            return (null, error.Length > WebhookLimits.ErrorCharsMax ? error[..WebhookLimits.ErrorCharsMax] : error, ElapsedMs(started));
        }
    }

    /// <summary>Reads at most the cap of the answer and drops the rest unread: a receiver cannot make a node hold a large body.</summary>
    private static async Task DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1024];
        var read = 0;
        int count;
        while (read < WebhookLimits.ResponseBytesMax && (count = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            read += count;
        }
    }

    private static int ElapsedMs(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    private async Task RecordAsync(Attempt attempt, string leaseToken, int? status, string? error, int latencyMs, CancellationToken cancellationToken)
    {
        var nowUtc = options.WallClock.GetUtcNow();
        var isDelivered = status is >= 200 and < 300;
        var attempts = attempt.Delivery.Attempts + 1;
        var nextUtc = nowUtc + options.DelayAfter(attempts, RandomNumberGenerator.GetInt32(1_000_000) / 1_000_000.0);
        var outcome = isDelivered ? DeliveryStatus.Delivered : nextUtc > attempt.Delivery.GiveUpUtc ? DeliveryStatus.GivenUp : DeliveryStatus.Pending;
        var lastError = isDelivered ? null : error ?? $"answered HTTP {status}";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var recorded = await db.WebhookDeliveries.Where(delivery => delivery.Id == attempt.Delivery.Id && delivery.LeaseToken == leaseToken)
            .ExecuteUpdateAsync(update => update
                .SetProperty(delivery => delivery.Status, outcome)
                .SetProperty(delivery => delivery.Attempts, delivery => delivery.Attempts + 1)
                .SetProperty(delivery => delivery.NextAttemptUtc, nextUtc)
                .SetProperty(delivery => delivery.LastAttemptUtc, nowUtc)
                .SetProperty(delivery => delivery.LastResponseStatus, status)
                .SetProperty(delivery => delivery.LastLatencyMs, latencyMs)
                .SetProperty(delivery => delivery.LastError, lastError)
                .SetProperty(delivery => delivery.LeaseUntilUtc, (DateTimeOffset?)null)
                .SetProperty(delivery => delivery.LeaseToken, (string?)null), cancellationToken);
        if (recorded == 0)
        {
            // The lease ran out and another node took the delivery over: its attempt is the one on record.
            return;
        }
        var endpoints = db.WebhookEndpoints.Where(endpoint => endpoint.Id == attempt.Endpoint.Id);
        if (isDelivered)
        {
            await endpoints.ExecuteUpdateAsync(update => update.SetProperty(endpoint => endpoint.ConsecutiveFailures, 0)
                .SetProperty(endpoint => endpoint.FailingSinceUtc, (DateTimeOffset?)null), cancellationToken);
        }
        else
        {
            await endpoints.ExecuteUpdateAsync(update => update.SetProperty(endpoint => endpoint.ConsecutiveFailures, endpoint => endpoint.ConsecutiveFailures + 1)
                .SetProperty(endpoint => endpoint.FailingSinceUtc, endpoint => endpoint.FailingSinceUtc ?? nowUtc), cancellationToken);
            var failingSinceLimitUtc = nowUtc.AddSeconds(-options.RetryWindowSeconds);
            var disabled = await endpoints.Where(endpoint => endpoint.IsEnabled
                    && (endpoint.ConsecutiveFailures >= options.ConsecutiveFailuresMax || endpoint.FailingSinceUtc <= failingSinceLimitUtc))
                .ExecuteUpdateAsync(update => update.SetProperty(endpoint => endpoint.IsEnabled, false)
                    .SetProperty(endpoint => endpoint.DisabledReason,
                        $"disabled by Havale: every attempt failed for {options.ConsecutiveFailuresMax} attempts in a row or for the whole retry window"),
                    cancellationToken);
            if (disabled > 0)
            {
                logger.LogWarning("Webhook endpoint {EndpointId} of client {ClientId} disabled after failing continuously", attempt.Endpoint.Id,
                    attempt.Endpoint.ClientId);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
