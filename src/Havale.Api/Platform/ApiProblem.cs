namespace Havale.Api.Platform;

/// <summary>
/// A request Havale refuses before any work is done: bad input, a missing route, an oversized body.
/// Thrown from parsing code and turned into the failure envelope in one place
/// (<see cref="EnvelopeExceptionHandler"/>), so handlers never format errors themselves.
/// Business rejections are not this: they are result values of each operation.
/// </summary>
public sealed class ApiProblem(ErrorCode code, string message, int? httpStatus = null) : Exception(message)
{
    public ErrorCode Code { get; } = code;
    public int HttpStatus { get; } = httpStatus ?? code.DefaultHttpStatus();

    public static ApiProblem Field(string field, string error) => new(ErrorCode.ValidationError, $"{field}: {error}");
}
