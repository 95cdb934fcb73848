using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Havale.Api.Platform;

/// <summary>
/// An answer rendered to bytes before it is sent, so that it can be stored in the same transaction as the work it
/// reports (the call log replays exactly these bytes), then written to the caller as they are.
/// </summary>
public sealed record StoredAnswer(int Status, string ContentType, byte[] Body) : IResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Renders a JSON result (TypedResults.Json, Envelopes) the way it would have rendered itself.</summary>
    public static StoredAnswer Of(IResult result)
    {
        if (result is not IValueHttpResult { Value: { } value })
        {
            throw new InvariantViolationException("invariant failed: a stored answer is a JSON value");
        }
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        var contentType = (result as IContentTypeHttpResult)?.ContentType ?? JsonContentType;
        return new StoredAnswer(status, contentType, JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), HavaleJson.Options));
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = Body.Length;
        await httpContext.Response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}
