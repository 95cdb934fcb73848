namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// The headers every console answer carries: no script or frame may run it, nothing is sniffed, cached or sent on in
/// a Referer. The pages hold balances and national codes, so a shared computer's cache must not keep them.
/// </summary>
public sealed class ConsoleSecurityHeaders : IEndpointFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Exactly what antiforgery itself sets on pages with a form, so the two never disagree (nor log that they did).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Apply(context.HttpContext.Response);
        return next(context);
    }
}
