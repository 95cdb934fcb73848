using System.Text.Json;

namespace Havale.Api.Platform;

/// <summary>
/// The outermost middleware: whatever goes wrong, the caller gets Finnotech's failure envelope with the right
/// HTTP status and a message that names the field — and never a stack trace, type name or SQL.
/// It also gives a body to bare status codes that the framework sets without one (404, 405, 415, 401, 403).
/// </summary>
public sealed class EnvelopeExceptionHandler(RequestDelegate next, ILogger<EnvelopeExceptionHandler> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested && exception is OperationCanceledException)
        {
            // The caller went away; there is nobody to answer.
            return;
        }
        catch (Exception exception)
        {
            var (status, code, message) = Describe(exception);
            if (code == ErrorCode.ServiceUnavailable)
            {
                ConnectionPools.ClearAfterFault(context.RequestServices);
                // An outage is not a bug: one line per call, without the stack, so a minute away does not bury the log.
                logger.LogWarning("The database did not answer {Method} {Path}, trackId {TrackId}: {Reason}",
                    context.Request.Method, context.Request.Path, context.CallTrackId(), exception.GetBaseException().Message);
            }
            else if (status >= StatusCodes.Status500InternalServerError)
            {
                logger.LogError(exception, "Unhandled error on {Method} {Path}, trackId {TrackId}",
                    context.Request.Method, context.Request.Path, context.CallTrackId());
            }
            if (context.Response.HasStarted)
            {
                // Part of a response is already on the wire; the only honest thing left is to cut it.
                context.Abort();
                return;
            }
            context.Response.Clear();
            await WriteFailureAsync(context, status, code, message);
            return;
        }

        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null
            && context.Response.ContentType is null)
        {
            var (code, message) = DescribeBareStatus(context);
            await WriteFailureAsync(context, context.Response.StatusCode, code, message);
        }
    }

    public static Task WriteFailureAsync(HttpContext context, int httpStatus, ErrorCode code, string message)
    {
        context.Response.StatusCode = httpStatus;
        var envelope = new FailureEnvelope(context.CallTrackId(), new EnvelopeError(code.WireName(), message));
        return context.Response.WriteAsJsonAsync(envelope, HavaleJson.Options);
    }

    private static (int Status, ErrorCode Code, string Message) Describe(Exception exception) => exception switch
    {
        ApiProblem problem => (problem.HttpStatus, problem.Code, problem.Message),
        BadHttpRequestException { InnerException: JsonException json } => (400, ErrorCode.ValidationError, DescribeJson(json)),
        JsonException json => (400, ErrorCode.ValidationError, DescribeJson(json)),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, ErrorCode.ValidationError, $"request body is larger than {Limits.RequestBodyBytesMax} bytes"),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            (415, ErrorCode.ValidationError, "Content-Type must be application/json"),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when IsMissingBody(bad) =>
            (400, ErrorCode.ValidationError, "request body is required: a JSON object"),
        BadHttpRequestException bad => (bad.StatusCode, ErrorCode.ValidationError, "the request could not be read"),
        _ when DatabaseFaults.IsUntranslatableText(exception) => (StatusCodes.Status400BadRequest, ErrorCode.ValidationError,
            "the request holds text the database cannot store (a NUL character)"),
        _ when DatabaseFaults.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, ErrorCode.ServiceUnavailable, DatabaseUnavailableMessage),
        _ => (500, ErrorCode.InternalServerError, "internal error; quote the trackId to support"),
    };

    /// <summary>What a caller is told when the database does not answer: the same trackId may always be sent again.</summary>
    public const string DatabaseUnavailableMessage = "the database does not answer; send the call again with the same trackId";

    private static bool IsMissingBody(BadHttpRequestException exception)
        => exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase);

    /// <summary>Turns a System.Text.Json error into "field: reason", the field written as the caller wrote it.</summary>
    internal static string DescribeJson(JsonException exception)
    {
        var field = FieldFromPath(exception.Path);
        if ((exception as JsonFieldException ?? exception.InnerException as JsonFieldException) is { } fieldException)
        {
            return $"{Joined(field, fieldException.InnerPath)}: {fieldException.Reason}";
        }
        if (IsSyntaxError(exception))
        {
            return $"request body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine})";
        }
        if (exception.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"request body is nested deeper than {Limits.JsonDepthMax} levels";
        }
        if (exception.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"{field}: is given more than once";
        }
        return field == "request body"
            ? "request body must be a JSON object"
            : $"{field}: has the wrong type";
    }

    /// <summary>
    /// Broken syntax (rather than a well-formed value of the wrong type) is reported by the reader's own exception
    /// type, which is internal to System.Text.Json; the serializer rethrows it wrapped, so look one level down too.
    /// </summary>
    private static bool IsSyntaxError(JsonException exception)
        => exception.GetType() != typeof(JsonException)
           || (exception.InnerException is JsonException inner && inner.GetType() != typeof(JsonException));

    private static string Joined(string field, string innerPath)
        => innerPath.Length == 0 ? field
            : field == "request body" ? innerPath
            : innerPath.StartsWith('[') ? field + innerPath : $"{field}.{innerPath}";

    internal static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "request body";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // System.Text.Json writes odd names as $['name']; callers wrote them plain.
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).TrimStart('.');
    }

    private static (ErrorCode Code, string Message) DescribeBareStatus(HttpContext context)
    {
        var request = context.Request;
        return context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => (ErrorCode.NotFound, $"no such route: {request.Method} {request.Path}"),
            StatusCodes.Status405MethodNotAllowed => (ErrorCode.ValidationError,
                $"method {request.Method} is not allowed on {request.Path}"),
            StatusCodes.Status415UnsupportedMediaType => (ErrorCode.ValidationError, "Content-Type must be application/json"),
            StatusCodes.Status401Unauthorized => (ErrorCode.Unauthorized, "a bearer token is required"),
            StatusCodes.Status403Forbidden => (ErrorCode.Forbidden, "this token may not make this call"),
            StatusCodes.Status429TooManyRequests => (ErrorCode.TooManyRequests, "too many requests; slow down and retry later"),
            StatusCodes.Status408RequestTimeout => (ErrorCode.Timeout, "the request timed out"),
            StatusCodes.Status503ServiceUnavailable => (ErrorCode.ServiceUnavailable, "the service is unavailable"),
            >= 500 => (ErrorCode.InternalServerError, "internal error; quote the trackId to support"),
            _ => (ErrorCode.ValidationError, "the request was refused"),
        };
    }
}
