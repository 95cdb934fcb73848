using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Havale.Client;

/// <summary>One call as the client makes it: the relative path with its query, an optional JSON body, its trackId.</summary>
internal sealed record HavaleRequest(HttpMethod Method, string PathAndQuery, object? Body = null, string? TrackId = null)
{
    public AuthenticationHeaderValue? Authorization { get; init; }

    /// <summary>False for a call that must never go twice, whatever happened to the first (a one-time code exchange).</summary>
    public bool MayRetry { get; init; } = true;
}

/// <summary>An answer as read off the wire: its status, its JSON (undefined when there was none), and whether it was a replay.</summary>
internal sealed record WireAnswer(HttpStatusCode Status, JsonElement Body, bool IsReplayed, string? TrackId)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The envelope's <c>result</c>, for the calls that answer <c>{trackId, result, status}</c>.</summary>
    public T Result<T>() => Read<T>(Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("result", out var result) ? result : default);

    /// <summary>The whole body, for the calls that answer flat (instantPayment, customer info).</summary>
    public T Flat<T>() => Read<T>(Body);

    /// <summary>The answer's trackId, or the one the call was sent with when the answer names none.</summary>
    public string? AnswerTrackId => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("trackId", out var id)
        && id.ValueKind == JsonValueKind.String ? id.GetString() : TrackId;

    /// <summary>
    /// What went wrong, as one exception: Finnotech's <c>error{code, message}</c>, or Kilid's create/edit refusal
    /// (HTTP 400 with <c>result{code, message, farsi_message, invalidParameter}</c>), or an answer that is neither.
    /// </summary>
    public HavaleApiException Error()
    {
        if (Body.ValueKind == JsonValueKind.Object)
        {
            if (Body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new HavaleApiException(Text(error, "code") ?? HavaleErrorCodes.UnreadableAnswer,
                    Text(error, "message") ?? $"the gateway answered HTTP {(int)Status}", Status, AnswerTrackId);
            }
            if (Body.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("code", out _) && result.Deserialize<KilidRefusal>(HavaleJson.Options) is { } refusal)
            {
                return new HavaleApiException(HavaleErrorCodes.ValidationError, refusal.Message ?? "the order was refused", Status, AnswerTrackId)
                {
                    KilidRefusal = refusal,
                };
            }
        }
        return new HavaleApiException(HavaleErrorCodes.UnreadableAnswer, $"the gateway answered HTTP {(int)Status} without Finnotech's error envelope",
            Status, AnswerTrackId);
    }

    private T Read<T>(JsonElement element)
    {
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new HavaleApiException(HavaleErrorCodes.UnreadableAnswer, "the answer has no result", Status, AnswerTrackId);
        }
        try
        {
            return element.Deserialize<T>(HavaleJson.Options)
                ?? throw new HavaleApiException(HavaleErrorCodes.UnreadableAnswer, "the answer's result is empty", Status, AnswerTrackId);
        }
        catch (JsonException exception)
        {
            throw new HavaleApiException(HavaleErrorCodes.UnreadableAnswer, $"the answer does not have the documented shape: {exception.Message}",
                Status, AnswerTrackId, exception);
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Sends one call through the HttpClient the factory built (whose resilience handler retries it) and reads the answer.
/// A call that got no answer at all, within the retry bounds, becomes a <see cref="HavaleApiException"/> whose
/// outcome is unknown; the caller's own cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class HavaleTransport(HttpClient http, ILogger logger)
{
    /// <summary>Havale marks an answer replayed from its call log (same client, same trackId) with this header.</summary>
    public const string ReplayedHeader = "X-Havale-Replayed";

    public async Task<WireAnswer> SendAsync(HavaleRequest call, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(call.Method, call.PathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = call.Authorization;
        if (call.Body is not null)
        {
            // Bytes, not a stream: a retry sends the same content again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(call.Body, call.Body.GetType(), HavaleJson.Options));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        }
        if (!call.MayRetry)
        {
            request.Options.Set(HavaleResilience.NoRetry, true);
        }
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var isReplayed = response.Headers.TryGetValues(ReplayedHeader, out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
            return new WireAnswer(response.StatusCode, Parse(bytes), isReplayed, call.TrackId);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Havale {Method} {Path} (trackId {TrackId}) got no answer within the retry bounds: {Reason}",
                call.Method, PathOf(call), call.TrackId, exception.Message);
            throw new HavaleApiException(HavaleErrorCodes.NoAnswer,
                $"no answer from the gateway for trackId {call.TrackId}; the call may or may not have taken effect. "
                + "Send it again with the same trackId, or ask transaction inquiry, before doing anything else", null, call.TrackId, exception);
        }
    }

    /// <summary>The path alone, for logs: the query's values are the caller's business.</summary>
    public static string PathOf(HavaleRequest call) => call.PathAndQuery.Split('?')[0];

    private static JsonElement Parse(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return default;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
