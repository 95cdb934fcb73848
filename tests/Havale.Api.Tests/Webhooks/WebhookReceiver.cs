using System.Collections.Concurrent;
using Havale.Client.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Havale.Api.Tests.Webhooks;

/// <summary>One request the receiver got: its headers' verdict, the event's id and type, and its data.</summary>
public sealed record ReceivedWebhook(string? Id, WebhookVerification Verification, string Type, JsonElement Data, string Signature, string Timestamp,
    string Body);

/// <summary>
/// A webhook receiver on 127.0.0.1, as a client would run one: every request is checked with the client library's
/// <see cref="WebhookVerifier"/>; it can refuse the first requests with 503 (down, then up).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private LoopbackServer? _server;
    private int _refuseLeft;

    private WebhookReceiver()
    {
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The most requests with the same webhook-id seen in flight at one moment.</summary>
    public ConcurrentDictionary<string, int> InFlightById { get; } = new();

    public int MostAtOnceForOneId { get; private set; }

    public int Refused => _refusedCount;

    private int _refusedCount;

    public string Url { get; private set; } = "";

    public WebhookVerifier? Verifier { get; set; }

    public void RefuseNext(int count) => Volatile.Write(ref _refuseLeft, count);

    public static async Task<WebhookReceiver> StartAsync(int answerDelayMs = 0)
    {
        var receiver = new WebhookReceiver();
        receiver._server = await LoopbackServer.StartAsync(app => app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var id = context.Request.Headers["webhook-id"].ToString();
            var atOnce = receiver.InFlightById.AddOrUpdate(id, 1, (_, count) => count + 1);
            lock (receiver)
            {
                receiver.MostAtOnceForOneId = Math.Max(receiver.MostAtOnceForOneId, atOnce);
            }
            try
            {
                if (answerDelayMs > 0)
                {
                    await Task.Delay(answerDelayMs);
                }
                if (Interlocked.Decrement(ref receiver._refuseLeft) >= 0)
                {
                    Interlocked.Increment(ref receiver._refusedCount);
                    return Results.StatusCode(503);
                }
                var signature = context.Request.Headers["webhook-signature"].ToString();
                var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
                var verification = receiver.Verifier!.Verify(id, timestamp, signature, body);
                var json = JsonDocument.Parse(body).RootElement.Clone();
                receiver.Received.Enqueue(new ReceivedWebhook(json.GetProperty("id").GetString(), verification, json.GetProperty("type").GetString()!,
                    json.GetProperty("data"), signature, timestamp, body));
                return verification == WebhookVerification.Valid ? Results.Ok() : Results.StatusCode(400);
            }
            finally
            {
                receiver.InFlightById.AddOrUpdate(id, 0, (_, count) => count - 1);
            }
        }));
        receiver.Url = receiver._server.Address.ToString().TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>Waits (bounded) until the receiver has the given number of distinct valid events.</summary>
    public async Task<List<ReceivedWebhook>> WaitForAsync(int distinctEvents, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline && Distinct().Count < distinctEvents)
        {
            await Task.Delay(50);
        }
        return Distinct();
    }

    public List<ReceivedWebhook> Distinct()
        => Received.Where(received => received.Verification == WebhookVerification.Valid).DistinctBy(received => received.Id).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
