using Havale.Domain;

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
public sealed class TrackIdMiddleware(RequestDelegate next)
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
            context.GetTrackId();
            return next(context);
        }
        if (!TrackId.TryParse(text, out var trackId, out var error))
        {
            throw ApiProblem.Field(TrackIdEndpointExtensions.QueryParameter, error);
        }
        context.Features.Set(new RequestTrackId(trackId, IsGenerated: false));
        return next(context);
    }
}
