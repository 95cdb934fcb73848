namespace Havale.Client;

/// <summary>
/// Where the gateway is and who the client is. The same options serve Havale and Finnotech: only
/// <see cref="BaseAddress"/> differs (<c>http://127.0.0.1:5080</c>, <c>https://sandboxapi.finnotech.ir</c>, …).
/// </summary>
public sealed class HavaleClientOptions
{
    /// <summary>The gateway's address, e.g. <c>http://127.0.0.1:5080</c>. Paths such as <c>/oak/v2/…</c> are appended to it.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The client id registered with the gateway; also the <c>{clientId}</c> of every path.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret, sent only to the token endpoint (HTTP Basic) and never logged.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The national code of a person registered on the client, for client-credential tokens (<c>nid</c>).</summary>
    public string NationalCode { get; set; } = "";

    /// <summary>Retries, timeouts and how long a 408 is followed up through transaction inquiry.</summary>
    public HavaleRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// How long before its expiry a token is refreshed. Finnotech's tokens live 10 days; refreshing a little early
    /// means a call never leaves with a token that expires on the way.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            throw new InvalidOperationException("HavaleClientOptions.BaseAddress must be an absolute address, e.g. http://127.0.0.1:5080");
        }
        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("HavaleClientOptions.ClientId must be the registered client id");
        }
        if (RefreshBeforeExpiry < TimeSpan.Zero)
        {
            throw new InvalidOperationException("HavaleClientOptions.RefreshBeforeExpiry must not be negative");
        }
        Retry.Validate();
    }
}

/// <summary>
/// The bounds of every retry. A call is sent again, with the same trackId, only when no answer arrived (a network error,
/// an attempt that timed out) or the answer was a 5xx; a 408 is never sent again.
/// </summary>
public sealed class HavaleRetryOptions
{
    /// <summary>The most attempts one call makes in all (the first included); at least 1, at most <see cref="AttemptsMaxLimit"/>.</summary>
    public int AttemptsMax { get; set; } = 4;

    /// <summary>The highest <see cref="AttemptsMax"/> accepted, so that a typo cannot turn into a retry storm.</summary>
    public const int AttemptsMaxLimit = 10;

    /// <summary>
    /// How long one attempt may wait for its answer. Longer than Havale's and Finnotech's own wait for a Pol bank
    /// (10 seconds), so that their 408 arrives rather than the client giving up first.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one call may take with all its attempts and the pauses between them.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The first pause between attempts; later ones grow exponentially, with jitter.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After a 408, how long to keep asking transaction inquiry before answering "still unresolved".</summary>
    public TimeSpan TimeoutResolutionWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a 408, the pause between two transaction inquiries.</summary>
    public TimeSpan TimeoutResolutionInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most transaction inquiries after one 408, whatever the wait and interval say.</summary>
    public const int TimeoutInquiriesMax = 100;

    internal void Validate()
    {
        if (AttemptsMax is < 1 or > AttemptsMaxLimit)
        {
            throw new InvalidOperationException($"HavaleRetryOptions.AttemptsMax must be 1 to {AttemptsMaxLimit}");
        }
        if (AttemptTimeout <= TimeSpan.Zero || CallTimeout < AttemptTimeout || FirstDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException("HavaleRetryOptions: AttemptTimeout must be positive, CallTimeout at least AttemptTimeout, FirstDelay not negative");
        }
        if (TimeoutResolutionWait < TimeSpan.Zero || TimeoutResolutionInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("HavaleRetryOptions: TimeoutResolutionWait must not be negative and TimeoutResolutionInterval must be positive");
        }
    }
}
