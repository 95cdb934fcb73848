using System.Security.Cryptography;
using System.Text;

namespace Havale.Client;

/// <summary>What the consent page asks the customer for (spec §2, authorize).</summary>
public sealed record ConsentRequest
{
    /// <summary>Where the browser returns with <c>?code=…&amp;state=…</c>; one of the client's registered addresses.</summary>
    public required Uri RedirectUri { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The most rials per transaction the customer is asked to allow (<c>limit</c>).</summary>
    public required long LimitRials { get; init; }

    /// <summary>How many calls the customer is asked to allow (<c>count</c>); null leaves it out.</summary>
    public int? CallCount { get; init; }

    /// <summary>The customer's bank, three digits (<c>bank</c>); Ayandeh is 062.</summary>
    public string Bank { get; init; } = "062";

    /// <summary>Echoed back on the redirect; check it there, it is what ties the answer to this browser session.</summary>
    public required string State { get; init; }

    /// <summary>The PKCE pair: the link carries its challenge, the code exchange its verifier.</summary>
    public Pkce? Pkce { get; init; }
}

/// <summary>A PKCE verifier and its S256 challenge (RFC 7636).</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    /// <summary>32 random bytes make a 43-character verifier, RFC 7636's minimum length and well past its entropy advice.</summary>
    private const int VerifierBytes = 32;

    public const string Method = "S256";

    public static Pkce Create()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(VerifierBytes));
        return new Pkce(verifier, ChallengeOf(verifier));
    }

    public static string ChallengeOf(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The verifier is a secret until the exchange: keep it out of logs.</summary>
    public override string ToString() => $"PKCE {Method} {Challenge}";
}
