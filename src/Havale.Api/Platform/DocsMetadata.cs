namespace Havale.Api.Platform;

/// <summary>
/// Endpoint metadata: the route answers a person's browser with HTML pages and redirects (the consent page, the
/// signatory console), so the JSON envelope's failures are not its answers; its failures are pages too.
/// </summary>
public sealed class HtmlPageMetadata
{
    public static readonly HtmlPageMetadata Instance = new();
}

/// <summary>
/// Endpoint metadata: the route speaks a protocol of its own (standard OAuth at /connect/token) and declares its
/// failure answers itself, so the OpenAPI document does not claim the platform's envelope failures for it.
/// </summary>
public sealed class OwnFailuresMetadata
{
    public static readonly OwnFailuresMetadata Instance = new();
}

/// <summary>
/// Endpoint metadata, read by the OpenAPI document alone: the body of a route whose handler does not bind it
/// (OpenIddict reads the token request). Not <c>Accepts</c>: routing matches that against the request's
/// Content-Type and would answer a mismatch with its own bare 415, where the token endpoint answers with its envelope.
/// </summary>
public sealed record DocumentedBodyMetadata(Type Type, string ContentType);

public static class DocsConventions
{
    public const string HtmlContentType = "text/html";

    /// <summary>What the document shows as an HTML answer: its schema is a string, so the example is one.</summary>
    public const string HtmlExample = "<!doctype html><html lang=\"fa\" dir=\"rtl\"><head><title>حواله</title></head><body>…</body></html>";

    /// <summary>Browser pages under <paramref name="tag"/>: each answers 200 with an HTML page.</summary>
    public static TBuilder DescribedAsPages<TBuilder>(this TBuilder builder, string tag) where TBuilder : IEndpointConventionBuilder
        => builder.WithTags(tag).WithMetadata(HtmlPageMetadata.Instance,
            new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [HtmlContentType]));

    /// <summary>
    /// A form post that, once done, sends the browser on with a redirect (<paramref name="status"/>: 302 or 303). The
    /// answer is named as void: with no type, the document would take the handler's <c>IResult</c> and leave it out.
    /// </summary>
    public static RouteHandlerBuilder AnswersWithRedirect(this RouteHandlerBuilder builder, int status)
        => builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(void)));

    public static RouteHandlerBuilder DocumentsBody<T>(this RouteHandlerBuilder builder, string contentType)
        => builder.WithMetadata(new DocumentedBodyMetadata(typeof(T), contentType));
}
