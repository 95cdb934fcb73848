using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Havale.Client.Webhooks;

/// <summary>Every way a webhook is judged, in the order the checks run; only <see cref="Valid"/> means "act on it".</summary>
public enum WebhookVerification
{
    Valid,
    /// <summary>webhook-id, webhook-timestamp or webhook-signature is missing or empty.</summary>
    MissingHeader,
    /// <summary>webhook-timestamp is not a whole number of seconds.</summary>
    BadTimestamp,
    /// <summary>The timestamp is further from now than the tolerance (5 minutes by default): a replay, or a clock far off.</summary>
    TimestampOutsideTolerance,
    /// <summary>No <c>v1,</c> signature in the header matches the body under this secret.</summary>
    NoMatchingSignature,
}

/// <summary>
/// Checks a Havale webhook the way the Standard Webhooks specification says, so any of its libraries would agree:
/// the signature is HMAC-SHA256, keyed with the bytes after <c>whsec_</c>, over "{webhook-id}.{webhook-timestamp}.{body}",
/// sent as <c>v1,</c> and base64; the header may carry several, space-separated (during a secret rotation), and one
/// match is enough. Pass the body exactly as received: parsing and re-serializing it changes the bytes.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>How far a timestamp may be from now: Standard Webhooks' recommended 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private readonly byte[] _key;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _clock;

    /// <param name="secret">The endpoint's secret as Havale showed it (<c>whsec_…</c>).</param>
    /// <param name="tolerance">How far a timestamp may be from now; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="clock">The receiver's clock; the system clock when null.</param>
    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret.Substring(SecretPrefix.Length) : secret;
        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new ArgumentException("a webhook secret is \"whsec_\" and base64", nameof(secret));
        }
        _tolerance = tolerance ?? DefaultTolerance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Judges one delivery from its three headers and its raw body.</summary>
    public WebhookVerification Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature))
        {
            return WebhookVerification.MissingHeader;
        }
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.BadTimestamp;
        }
        var nowSeconds = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(nowSeconds - seconds) > (long)_tolerance.TotalSeconds)
        {
            return WebhookVerification.TimestampOutsideTolerance;
        }
        var expected = Signature(webhookId, webhookTimestamp, body);
        foreach (var part in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("v1,", StringComparison.Ordinal))
            {
                continue;
            }
            var given = Encoding.ASCII.GetBytes(part.Substring(3));
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return WebhookVerification.Valid;
            }
        }
        return WebhookVerification.NoMatchingSignature;
    }

    /// <summary>The base64 signature (without <c>v1,</c>) this secret gives for the message.</summary>
    public string Sign(string webhookId, string webhookTimestamp, string body) => Encoding.ASCII.GetString(Signature(webhookId, webhookTimestamp, body));

    private byte[] Signature(string webhookId, string webhookTimestamp, string body)
    {
        var message = Encoding.UTF8.GetBytes(webhookId + "." + webhookTimestamp + "." + body);
        using var hmac = new HMACSHA256(_key);
        return Encoding.ASCII.GetBytes(Convert.ToBase64String(hmac.ComputeHash(message)));
    }
}
