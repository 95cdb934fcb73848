using System.Security.Cryptography;
using System.Text;

namespace Havale.Api.Features.Webhooks;

/// <summary>
/// Standard Webhooks signing: <c>v1,</c> and the base64 of HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed with the
/// bytes of the secret after its <c>whsec_</c> prefix. Several signatures are separated by spaces.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(WebhookLimits.SecretBytes));

    /// <summary>Standard Webhooks' secret rule: the prefix and the base64 of 24 to 64 bytes.</summary>
    public static bool IsWellFormedSecret(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > WebhookLimits.SecretCharsMax)
        {
            return false;
        }
        var bytes = new byte[64];
        return Convert.TryFromBase64String(secret[SecretPrefix.Length..], bytes, out var count) && count >= 24;
    }

    public static string Sign(string secret, string messageId, long timestampSeconds, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signed = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{messageId}.{timestampSeconds}.{body}"));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The header value: the current secret's signature, and the previous secret's while a rotation overlaps.</summary>
    public static string SignatureHeader(WebhookEndpoint endpoint, string messageId, long timestampSeconds, string body, DateTimeOffset nowUtc)
    {
        var current = Sign(endpoint.Secret, messageId, timestampSeconds, body);
        return endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresUtc > nowUtc
            ? current + " " + Sign(previous, messageId, timestampSeconds, body)
            : current;
    }
}
