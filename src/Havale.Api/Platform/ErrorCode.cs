namespace Havale.Api.Platform;

/// <summary>
/// The closed set of error codes Havale answers with (spec §1). Finnotech's generic-error
/// page is not public, so this set is Havale's design; docs/errors.md lists each with its HTTP status.
/// </summary>
public enum ErrorCode
{
    ValidationError,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    TooManyRequests,
    ServiceUnavailable,
    Timeout,
    ServiceCallError,
    InternalServerError,
}

public static class ErrorCodes
{
    public static string WireName(this ErrorCode code) => code switch
    {
        ErrorCode.ValidationError => "VALIDATION_ERROR",
        ErrorCode.Unauthorized => "UNAUTHORIZED",
        ErrorCode.Forbidden => "FORBIDDEN",
        ErrorCode.NotFound => "NOT_FOUND",
        ErrorCode.Conflict => "CONFLICT",
        ErrorCode.TooManyRequests => "TOO_MANY_REQUESTS",
        ErrorCode.ServiceUnavailable => "SERVICE_UNAVAILABLE",
        ErrorCode.Timeout => "TIMEOUT",
        ErrorCode.ServiceCallError => "SERVICE_CALL_ERROR",
        ErrorCode.InternalServerError => "INTERNAL_SERVER_ERROR",
    };

    /// <summary>The HTTP status each code travels with unless a caller has a more specific one (413, 405, 415).</summary>
    public static int DefaultHttpStatus(this ErrorCode code) => code switch
    {
        ErrorCode.ValidationError => StatusCodes.Status400BadRequest,
        ErrorCode.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCode.NotFound => StatusCodes.Status404NotFound,
        ErrorCode.Conflict => StatusCodes.Status409Conflict,
        ErrorCode.TooManyRequests => StatusCodes.Status429TooManyRequests,
        ErrorCode.ServiceUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCode.Timeout => StatusCodes.Status408RequestTimeout,
        ErrorCode.ServiceCallError => StatusCodes.Status502BadGateway,
        ErrorCode.InternalServerError => StatusCodes.Status500InternalServerError,
    };
}
