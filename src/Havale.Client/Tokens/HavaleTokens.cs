using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Havale.Client;

/// <summary>
/// One lock per token key, shared by every client of a service provider, so that a token about to expire is
/// refreshed once and not by every call that noticed (refresh tokens rotate: a second refresh would race the first).
/// </summary>
internal sealed class TokenRefreshGate
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public SemaphoreSlim For(string key) => _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
}

/// <summary>
/// Finnotech's token endpoint (spec §2): client credentials, the authorization-code exchange with PKCE, refresh,
/// and the consent page's address. Tokens go to the <see cref="IHavaleTokenStore"/>; calls read them from there,
/// refreshed before they expire and again when the gateway calls one an "invalid token".
/// </summary>
public sealed class HavaleTokens
{
    public const string TokenPath = "/dev/v2/oauth2/token";
    public const string AuthorizePath = "/dev/v2/oauth2/authorize";

    /// <summary>Finnotech's message, with HTTP 403 and VALIDATION_ERROR, for an expired, revoked or forged token.</summary>
    public const string InvalidTokenMessage = "invalid token";

    private readonly HavaleTransport _transport;
    private readonly HavaleClientOptions _options;
    private readonly IHavaleTokenStore _store;
    private readonly TokenRefreshGate _gate;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    internal HavaleTokens(HavaleTransport transport, HavaleClientOptions options, IHavaleTokenStore store, TokenRefreshGate gate, TimeProvider clock,
        ILogger logger)
    {
        _transport = transport;
        _options = options;
        _store = store;
        _gate = gate;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Gets a client-credential token and keeps it under the credential's key.</summary>
    public async Task<HavaleToken> ClientCredentialsAsync(HavaleCredential credential, CancellationToken cancellationToken = default)
    {
        var scopes = credential.ClientCredentialScopes
                     ?? throw new ArgumentException("this credential is a stored token, not client credentials", nameof(credential));
        var token = await RequestAsync(new Dictionary<string, object>
        {
            ["grant_type"] = "client_credentials",
            ["nid"] = credential.NationalCode ?? _options.NationalCode,
            ["scopes"] = string.Join(",", scopes),
        }, mayRetry: true, cancellationToken).ConfigureAwait(false);
        await _store.SetAsync(credential.Key, token, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>
    /// Exchanges the code the consent page returned for a token and keeps it under <paramref name="key"/>. Never
    /// retried: a code works once, so a second try after an answer that got lost could only fail.
    /// </summary>
    public async Task<HavaleToken> ExchangeCodeAsync(string key, string code, Uri redirectUri, string? codeVerifier, string bank = "062",
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var body = new Dictionary<string, object>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri.ToString(),
            ["bank"] = bank,
        };
        if (codeVerifier is not null)
        {
            body["code_verifier"] = codeVerifier;
        }
        var token = await RequestAsync(body, mayRetry: false, cancellationToken).ConfigureAwait(false);
        await _store.SetAsync(HavaleCredential.Stored(key).Key, token, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>Refreshes the token kept under the credential's key now, whatever its expiry, and keeps the new one.</summary>
    public async Task<HavaleToken> RefreshAsync(HavaleCredential credential, CancellationToken cancellationToken = default)
    {
        var current = await _store.GetAsync(credential.Key, cancellationToken).ConfigureAwait(false)
                      ?? throw NoToken(credential);
        return await RefreshAsync(credential, current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps a token the application got elsewhere (from its own database, say) under <paramref name="key"/>.</summary>
    public ValueTask StoreAsync(string key, HavaleToken token, CancellationToken cancellationToken = default)
        => _store.SetAsync(HavaleCredential.Stored(key).Key, token, cancellationToken);

    /// <summary>
    /// The consent page's address (spec §2): the customer logs in, picks deposits and approves; the browser then
    /// returns to <see cref="ConsentRequest.RedirectUri"/> with <c>code</c> and <c>state</c>. Finnotech writes the
    /// scopes comma-separated.
    /// </summary>
    public Uri ConsentUrl(ConsentRequest request)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("client_id", _options.ClientId),
            new("response_type", "code"),
            new("redirect_uri", request.RedirectUri.ToString()),
            new("scope", string.Join(",", request.Scopes)),
            new("limit", request.LimitRials.ToString(CultureInfo.InvariantCulture)),
            new("bank", request.Bank),
            new("state", request.State),
        };
        if (request.CallCount is { } count)
        {
            query.Add(new("count", count.ToString(CultureInfo.InvariantCulture)));
        }
        if (request.Pkce is { } pkce)
        {
            query.Add(new("code_challenge", pkce.Challenge));
            query.Add(new("code_challenge_method", Pkce.Method));
        }
        var text = string.Join("&", query.Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"));
        return new Uri(_options.BaseAddress!, AuthorizePath + "?" + text);
    }

    /// <summary>A live access token for the credential: got, or refreshed, first when there is none or it is about to expire.</summary>
    internal async Task<string> AccessTokenAsync(HavaleCredential credential, CancellationToken cancellationToken)
    {
        var token = await _store.GetAsync(credential.Key, cancellationToken).ConfigureAwait(false);
        if (token is not null && !IsDue(token))
        {
            return token.AccessToken;
        }
        var gate = _gate.For(credential.Key);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another call may have renewed it while this one waited.
            token = await _store.GetAsync(credential.Key, cancellationToken).ConfigureAwait(false);
            if (token is not null && !IsDue(token))
            {
                return token.AccessToken;
            }
            return (await RenewAsync(credential, token, cancellationToken).ConfigureAwait(false)).AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The gateway called <paramref name="rejectedAccessToken"/> invalid: renew it, unless another call already has.</summary>
    internal async Task<string> RenewRejectedAsync(HavaleCredential credential, string rejectedAccessToken, CancellationToken cancellationToken)
    {
        var gate = _gate.For(credential.Key);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var token = await _store.GetAsync(credential.Key, cancellationToken).ConfigureAwait(false);
            if (token is not null && token.AccessToken != rejectedAccessToken)
            {
                return token.AccessToken;
            }
            _logger.LogInformation("Havale: the gateway called the token under {Key} invalid; renewing it", credential.Key);
            return (await RenewAsync(credential, token, cancellationToken).ConfigureAwait(false)).AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Sends a call with the credential's token; on Finnotech's 403 "invalid token" renews the token once and sends the
    /// call again with the same trackId. That is safe for a payment too: the gateway refuses a dead token before the
    /// call reaches anything that moves money, and the trackId would make a second arrival a replay in any case.
    /// </summary>
    internal async Task<WireAnswer> SendAsync(HavaleCredential credential, HavaleRequest call, CancellationToken cancellationToken)
    {
        var accessToken = await AccessTokenAsync(credential, cancellationToken).ConfigureAwait(false);
        var answer = await _transport.SendAsync(call with { Authorization = Bearer(accessToken) }, cancellationToken).ConfigureAwait(false);
        if (!IsInvalidToken(answer))
        {
            return answer;
        }
        var renewed = await RenewRejectedAsync(credential, accessToken, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync(call with { Authorization = Bearer(renewed) }, cancellationToken).ConfigureAwait(false);
    }

    internal AuthenticationHeaderValue ClientBasic()
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.ClientId}:{_options.ClientSecret}")));

    internal HavaleToken ToToken(WireAnswer answer)
    {
        var wire = answer.Result<TokenResultWire>();
        if (string.IsNullOrEmpty(wire.Value) || wire.LifeTime is not > 0)
        {
            throw new HavaleApiException(HavaleErrorCodes.UnreadableAnswer, "the token answer has no value or lifeTime", answer.Status, answer.AnswerTrackId);
        }
        return new HavaleToken
        {
            AccessToken = wire.Value,
            RefreshToken = wire.RefreshToken ?? "",
            Type = wire.Type,
            Scopes = wire.Scopes ?? [],
            UserId = wire.UserId ?? "",
            Deposits = wire.Deposits ?? [],
            Bank = wire.Bank ?? "",
            MaxAmountPerTransactionRials = wire.MaxAmountPerTransaction ?? 0,
            CreationDate = wire.CreationDate,
            ExpiresAtUtc = _clock.GetUtcNow() + TimeSpan.FromMilliseconds(wire.LifeTime.Value),
        };
    }

    internal static bool IsInvalidToken(WireAnswer answer)
        => answer.Status == HttpStatusCode.Forbidden && answer.Error() is { Code: HavaleErrorCodes.ValidationError } error
           && string.Equals(error.Message, InvalidTokenMessage, StringComparison.OrdinalIgnoreCase);

    private bool IsDue(HavaleToken token) => _clock.GetUtcNow() >= token.ExpiresAtUtc - _options.RefreshBeforeExpiry;

    /// <summary>
    /// Refresh when there is a refresh token; a client-credential token whose refresh fails is simply got again (the
    /// client has everything it needs), while a customer's token whose refresh fails needs the customer's consent again.
    /// </summary>
    private async Task<HavaleToken> RenewAsync(HavaleCredential credential, HavaleToken? current, CancellationToken cancellationToken)
    {
        if (current is { RefreshToken.Length: > 0 })
        {
            try
            {
                return await RefreshAsync(credential, current, cancellationToken).ConfigureAwait(false);
            }
            catch (HavaleApiException exception) when (credential.ClientCredentialScopes is not null && !exception.IsOutcomeUnknown)
            {
                _logger.LogInformation("Havale: refreshing the client-credential token under {Key} was refused ({Code}); getting a new one",
                    credential.Key, exception.Code);
            }
        }
        if (credential.ClientCredentialScopes is not null)
        {
            return await ClientCredentialsAsync(credential, cancellationToken).ConfigureAwait(false);
        }
        throw NoToken(credential);
    }

    private async Task<HavaleToken> RefreshAsync(HavaleCredential credential, HavaleToken current, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["grant_type"] = "refresh_token",
            ["token_type"] = current.Type == TokenType.Code ? "CODE" : "CLIENT-CREDENTIAL",
            ["refresh_token"] = current.RefreshToken,
        };
        // Finnotech's JS SDK sends bank only with a CODE token; the same here.
        if (current.Type == TokenType.Code && current.Bank.Length > 0)
        {
            body["bank"] = current.Bank;
        }
        var token = await RequestAsync(body, mayRetry: true, cancellationToken).ConfigureAwait(false);
        await _store.SetAsync(credential.Key, token, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Havale: refreshed the token under {Key}; it expires {ExpiresAtUtc:O}", credential.Key, token.ExpiresAtUtc);
        return token;
    }

    private async Task<HavaleToken> RequestAsync(Dictionary<string, object> body, bool mayRetry, CancellationToken cancellationToken)
    {
        var answer = await _transport.SendAsync(new HavaleRequest(HttpMethod.Post, TokenPath, body) { Authorization = ClientBasic(), MayRetry = mayRetry },
            cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? ToToken(answer) : throw answer.Error();
    }

    private static HavaleApiException NoToken(HavaleCredential credential)
        => new("NO_TOKEN", $"no usable token is stored under '{credential.Key}': the customer's consent is needed again", null, null);

    private static AuthenticationHeaderValue Bearer(string accessToken) => new("Bearer", accessToken);
}
