using System.Net.Http.Headers;
using System.Text;
using Havale.Api.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Havale.Api.Sandbox;

/// <summary>
/// Sandbox routes are for a registered client's developers: HTTP Basic with the client's id and secret, checked
/// against the stored hash. Nothing about which part was wrong is told to the caller.
/// </summary>
public sealed class SandboxClientAuth : IEndpointFilter
{
    private static readonly PasswordHasher<string> Hasher = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var clientId = await AuthenticateAsync(http);
        if (clientId is null)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"havale-sandbox\", charset=\"UTF-8\"";
            return Envelopes.Fail(http, ErrorCode.Unauthorized, "HTTP Basic credentials of a registered client are required");
        }
        return await next(context);
    }

    internal static async Task<string?> AuthenticateAsync(HttpContext http)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }
        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || separator > Limits.ClientIdCharsMax)
        {
            return null;
        }
        var clientId = decoded[..separator];
        var secret = decoded[(separator + 1)..];
        var db = http.RequestServices.GetRequiredService<HavaleDb>();
        var hashes = await db.Clients.Where(client => client.ClientId == clientId).Select(client => client.SecretHash)
            .ToListAsync(http.RequestAborted);
        if (hashes.Count == 0)
        {
            return null;
        }
        return Hasher.VerifyHashedPassword(clientId, hashes[0], secret) == PasswordVerificationResult.Failed ? null : clientId;
    }
}
