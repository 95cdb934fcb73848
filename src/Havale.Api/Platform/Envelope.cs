using System.Text.Json.Serialization;

namespace Havale.Api.Platform;

/// <summary>Finnotech's success shape: <c>{trackId, result, status: "DONE"}</c>.</summary>
public sealed record SuccessEnvelope<TResult>(
    [property: JsonPropertyName("trackId")] string TrackId,
    [property: JsonPropertyName("result")] TResult Result)
{
    [JsonPropertyName("status")]
    public string Status => "DONE";
}

/// <summary>Finnotech's failure shape: <c>{trackId, status: "FAILED", error: {code, message}}</c>.</summary>
public sealed record FailureEnvelope(
    [property: JsonPropertyName("trackId")] string TrackId,
    [property: JsonPropertyName("error")] EnvelopeError Error)
{
    [JsonPropertyName("status")]
    public string Status => "FAILED";
}

public sealed record EnvelopeError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);
