using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Platform;

/// <summary>Typed results that wrap a handler's answer in Finnotech's envelope with the call's trackId.</summary>
public static class Envelopes
{
    public static JsonHttpResult<SuccessEnvelope<TResult>> Ok<TResult>(HttpContext context, TResult result)
        => TypedResults.Json(new SuccessEnvelope<TResult>(context.CallTrackId(), result), HavaleJson.Options);

    public static JsonHttpResult<FailureEnvelope> Fail(HttpContext context, ErrorCode code, string message, int? httpStatus = null)
        => TypedResults.Json(
            new FailureEnvelope(context.CallTrackId(), new EnvelopeError(code.WireName(), message)),
            HavaleJson.Options,
            statusCode: httpStatus ?? code.DefaultHttpStatus());
}
