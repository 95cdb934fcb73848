using System.Collections.Concurrent;

namespace Havale.Client;

/// <summary>A token as the token endpoint issued it, with when this client will treat it as expired.</summary>
public sealed record HavaleToken
{
    /// <summary>The bearer token (<c>value</c>). Never log it.</summary>
    public required string AccessToken { get; init; }

    /// <summary>The refresh token (<c>refreshToken</c>); tokens rotate, so each refresh replaces it. Never log it.</summary>
    public required string RefreshToken { get; init; }

    public required TokenType Type { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The national code the token acts for (<c>userId</c>).</summary>
    public required string UserId { get; init; }

    /// <summary>The deposits the customer granted (empty for client credentials).</summary>
    public required IReadOnlyList<string> Deposits { get; init; }

    public required string Bank { get; init; }

    public required long MaxAmountPerTransactionRials { get; init; }

    /// <summary>When the gateway made it, as it wrote it (Jalali).</summary>
    public required JalaliDateTime CreationDate { get; init; }

    /// <summary>
    /// The receipt time plus the token's <c>lifeTime</c>, by this client's clock: a sandbox whose clock was moved to
    /// another year still gets an expiry this client can compare with its own now.
    /// </summary>
    public required DateTimeOffset ExpiresAtUtc { get; init; }

    /// <summary>Shows what a token is without what it holds: safe to log.</summary>
    public override string ToString() => $"{Type} token for {UserId} ({string.Join(",", Scopes)}), expires {ExpiresAtUtc:O}";
}

/// <summary>
/// Where tokens are kept between calls, by a key the application chooses (one per customer, say). The default
/// keeps them in memory; implement this to keep them in a database or a secret store, encrypted.
/// </summary>
public interface IHavaleTokenStore
{
    ValueTask<HavaleToken?> GetAsync(string key, CancellationToken cancellationToken);

    ValueTask SetAsync(string key, HavaleToken token, CancellationToken cancellationToken);

    ValueTask RemoveAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Tokens in this process's memory: lost on restart, shared by every client of one service provider.</summary>
public sealed class InMemoryHavaleTokenStore : IHavaleTokenStore
{
    private readonly ConcurrentDictionary<string, HavaleToken> _tokens = new(StringComparer.Ordinal);

    public ValueTask<HavaleToken?> GetAsync(string key, CancellationToken cancellationToken)
        => ValueTask.FromResult(_tokens.TryGetValue(key, out var token) ? token : null);

    public ValueTask SetAsync(string key, HavaleToken token, CancellationToken cancellationToken)
    {
        _tokens[key] = token;
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _tokens.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Which token a call uses: a client-credential token the client gets (and renews) by itself, or a token the
/// application stored under a key after a customer's consent.
/// </summary>
public sealed record HavaleCredential
{
    private HavaleCredential(string key, IReadOnlyList<string>? clientCredentialScopes, string? nationalCode)
    {
        Key = key;
        ClientCredentialScopes = clientCredentialScopes;
        NationalCode = nationalCode;
    }

    /// <summary>The token store's key.</summary>
    public string Key { get; }

    /// <summary>For a client-credential credential, the scopes it asks for; null for a stored one.</summary>
    public IReadOnlyList<string>? ClientCredentialScopes { get; }

    /// <summary>For a client-credential credential, the <c>nid</c> it is issued for (null: the options' national code).</summary>
    public string? NationalCode { get; }

    /// <summary>A client-credential token with these scopes, got on first use and renewed by the client.</summary>
    public static HavaleCredential ClientCredentials(IEnumerable<string> scopes, string? nationalCode = null)
    {
        var sorted = scopes.Select(scope => scope.Trim()).Where(scope => scope.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderBy(scope => scope, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("a client-credential token needs at least one scope", nameof(scopes));
        }
        return new HavaleCredential($"client-credential:{nationalCode}:{string.Join(",", sorted)}", sorted, nationalCode);
    }

    /// <summary>A token the application put in the store under <paramref name="key"/> (a code exchange, the sandbox shortcut).</summary>
    public static HavaleCredential Stored(string key)
        => string.IsNullOrWhiteSpace(key) ? throw new ArgumentException("a token key is needed", nameof(key)) : new HavaleCredential(key, null, null);

    public override string ToString() => Key;
}

/// <summary>The token endpoint's <c>result</c> (spec §2), as read from the wire.</summary>
internal sealed record TokenResultWire(
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("refreshToken")] string? RefreshToken,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string>? Scopes,
    [property: JsonPropertyName("lifeTime")] long? LifeTime,
    [property: JsonPropertyName("creationDate")] JalaliDateTime CreationDate,
    [property: JsonPropertyName("type")] TokenType Type,
    [property: JsonPropertyName("bank")] string? Bank,
    [property: JsonPropertyName("userId")] string? UserId,
    [property: JsonPropertyName("deposits")] IReadOnlyList<string>? Deposits,
    [property: JsonPropertyName("maxAmountPerTransaction")] long? MaxAmountPerTransaction);
