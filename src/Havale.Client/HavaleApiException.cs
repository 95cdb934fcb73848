using System.Net;

namespace Havale.Client;

/// <summary>
/// The one exception the client throws for a call that did not succeed: the gateway's <c>error.code</c> and
/// <c>error.message</c> (or, for Kilid's create and edit refusals, <c>result.code</c> and <c>result.message</c>),
/// the HTTP status, and the call's trackId, which is what support and transaction inquiry ask for.
/// </summary>
public sealed class HavaleApiException : Exception
{
    public HavaleApiException(string code, string message, HttpStatusCode? httpStatus, string? trackId, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        HttpStatus = httpStatus;
        TrackId = trackId;
    }

    /// <summary>The gateway's error code (<c>VALIDATION_ERROR</c>, <c>FORBIDDEN</c>, …) or one of <see cref="HavaleErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The HTTP status of the answer; null when no answer arrived.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>The trackId the call was made with (or the one the gateway answered with).</summary>
    public string? TrackId { get; }

    /// <summary>
    /// Kilid's create and edit refusals carry a number (<c>result.code</c>, 1 = invalid destination deposit, …), the Farsi
    /// message and the offending row; null for other errors.
    /// </summary>
    public KilidRefusal? KilidRefusal { get; init; }

    /// <summary>
    /// True when a money-moving call may or may not have taken effect: no answer ever arrived. Do not pay again
    /// with a new trackId; ask <c>TransactionInquiryAsync</c> with this <see cref="TrackId"/> (Pol), or view the order (Kilid).
    /// </summary>
    public bool IsOutcomeUnknown => Code == HavaleErrorCodes.NoAnswer;
}

/// <summary>The codes the client itself uses when the gateway's own code is not there to carry.</summary>
public static class HavaleErrorCodes
{
    /// <summary>No answer arrived within the retry bounds: the outcome of the call is not known.</summary>
    public const string NoAnswer = "NO_ANSWER";

    /// <summary>The answer was not the gateway's JSON envelope (a proxy's page, an empty body).</summary>
    public const string UnreadableAnswer = "UNREADABLE_ANSWER";

    /// <summary>Finnotech's code for a bad request, a business refusal, and (with HTTP 403 and "invalid token") a dead token.</summary>
    public const string ValidationError = "VALIDATION_ERROR";

    /// <summary>The gateway's answer to a payment whose outcome the destination bank has not told yet (HTTP 408).</summary>
    public const string Timeout = "TIMEOUT";
}
