namespace Havale.Api.Platform;

/// <summary>
/// Every bound on input that is not a property of a domain value, in one place.
/// Each has a test at the bound and one past it.
/// </summary>
public static class Limits
{
    /// <summary>A Kilid order of 1,000 destinations is about 300 KB of JSON; 1 MiB leaves room and no more.</summary>
    public const long RequestBodyBytesMax = 1024 * 1024;

    /// <summary>JSON nesting deeper than any Finnotech body needs (Kilid is three levels).</summary>
    public const int JsonDepthMax = 16;

    /// <summary>A query string longer than this is refused before routing (search terms are ≤ 100 characters).</summary>
    public const int QueryStringCharsMax = 2048;

    /// <summary>Client ids in paths and seeds.</summary>
    public const int ClientIdCharsMax = 64;

    /// <summary>How long a retry waits for the first call with the same trackId to finish before answering "in progress".</summary>
    public const int CallInProgressWaitMillisecondsMax = 10_000;

    /// <summary>Stored response bodies for replay; a larger response is a programming error.</summary>
    public const int StoredResponseBytesMax = 4 * 1024 * 1024;
}
