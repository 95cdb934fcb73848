namespace Havale.Api.Platform;

/// <summary>Endpoint metadata: calls that move or change money must carry the caller's trackId (spec §1).</summary>
public sealed class RequiresTrackIdMetadata
{
    public static readonly RequiresTrackIdMetadata Instance = new();
}

/// <summary>The trackId of the current call: the caller's, or one Havale made for a read that had none.</summary>
public sealed record RequestTrackId(TrackId Value, bool IsGenerated);

public static class TrackIdEndpointExtensions
{
    public const string QueryParameter = "trackId";

    public static TBuilder RequireTrackId<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(RequiresTrackIdMetadata.Instance);

    /// <summary>
    /// The call's trackId. Always answers: an envelope must echo one even when the caller's was missing or bad,
    /// in which case a fresh UUID is made so the failure can still be quoted to support.
    /// </summary>
    public static RequestTrackId GetTrackId(this HttpContext context)
    {
        if (context.Features.Get<RequestTrackId>() is { } known)
        {
            return known;
        }
        var generated = new RequestTrackId(TrackId.NewUuid(), IsGenerated: true);
        context.Features.Set(generated);
        return generated;
    }

    /// <summary>The call's trackId as the wire writes it: what envelopes echo and what the call's transfers carry.</summary>
    public static string CallTrackId(this HttpContext context) => context.GetTrackId().Value.Value;
}

/// <summary>
/// Reads <c>?trackId=</c> once per request, after routing so the endpoint's metadata says whether it is required.
/// A bad or missing required trackId is refused here, before authentication or any handler runs.
/// </summary>
public sealed class TrackIdMiddleware(RequestDelegate next, ILogger<TrackIdMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var values = context.Request.Query[TrackIdEndpointExtensions.QueryParameter];
        var isRequired = context.GetEndpoint()?.Metadata.GetMetadata<RequiresTrackIdMetadata>() is not null;

        if (values.Count > 1)
        {
            throw ApiProblem.Field(TrackIdEndpointExtensions.QueryParameter, "must be given once");
        }
        var text = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(text))
        {
            if (isRequired)
            {
                throw ApiProblem.Field(TrackIdEndpointExtensions.QueryParameter, "is required on this call");
            }
            return NextWithTrackIdAsync(context, context.GetTrackId().Value.Value);
        }
        if (!TrackId.TryParse(text, out var trackId, out var error))
        {
            throw ApiProblem.Field(TrackIdEndpointExtensions.QueryParameter, error);
        }
        context.Features.Set(new RequestTrackId(trackId, IsGenerated: false));
        return NextWithTrackIdAsync(context, trackId.Value);
    }

    /// <summary>
    /// Every log line written while the request runs carries its trackId (a logging scope, shown by the console with
    /// IncludeScopes and a field of the JSON formatter), and so does the request's trace, when traces are recorded.
    /// </summary>
    private async Task NextWithTrackIdAsync(HttpContext context, string trackId)
    {
        System.Diagnostics.Activity.Current?.SetTag(TrackIdLogScope.Key, trackId);
        using (logger.BeginScope(new TrackIdLogScope(trackId)))
        {
            await next(context);
        }
    }
}

/// <summary>A logging scope of one field, <c>trackId</c>: structured for providers that read scopes as fields, "trackId:…" as text.</summary>
public sealed class TrackIdLogScope(string trackId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "trackId";

    public string TrackId { get; } = trackId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index]
        => index == 0 ? new KeyValuePair<string, object?>(Key, TrackId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Key + ":" + TrackId;
}
