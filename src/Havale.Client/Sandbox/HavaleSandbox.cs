using System.Globalization;

namespace Havale.Client;

/// <summary>How a simulated bank answers in Havale's sandbox.</summary>
public enum SandboxBankMode { Normal, Reject, Timeout, Down }

/// <summary>A customer's consent in the sandbox, without the page.</summary>
public sealed record SandboxConsent
{
    public required string NationalCode { get; init; }
    public required IReadOnlyList<string> Deposits { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public required long LimitRials { get; init; }
    public string Bank { get; init; } = "062";
}

public sealed record SandboxClock
{
    [JsonPropertyName("now")] public string? Now { get; init; }
    [JsonPropertyName("tehran")] public string? Tehran { get; init; }
    [JsonPropertyName("jalali")] public JalaliDateTime Jalali { get; init; }
    [JsonPropertyName("isFrozen")] public bool IsFrozen { get; init; }

    /// <summary>The sandbox's now as an instant.</summary>
    [JsonIgnore] public DateTimeOffset NowUtc => DateTimeOffset.Parse(Now ?? "", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}

public sealed record SandboxLedger
{
    [JsonPropertyName("accounts")] public IReadOnlyList<SandboxLedgerAccount> Accounts { get; init; } = [];
    [JsonPropertyName("sumRials")] public long SumRials { get; init; }

    /// <summary>The posted balance of one account (<c>deposit:0302876732315</c>, <c>bank:012</c>, …); 0 when it has none yet.</summary>
    public long BalanceRials(string account) => Accounts.FirstOrDefault(known => known.Account == account)?.BalanceRials ?? 0;
}

public sealed record SandboxLedgerAccount(
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("balanceRials")] long BalanceRials,
    [property: JsonPropertyName("pendingRials")] long PendingRials);

/// <summary>
/// Havale's sandbox routes (<c>/sandbox/v1</c>, the client's Basic credentials): a customer's token without the
/// consent page, the clock, the simulated banks' behaviour, the ledger. Finnotech has none of these.
/// </summary>
public sealed class HavaleSandbox
{
    private readonly HavaleTransport _transport;
    private readonly HavaleTokens _tokens;

    internal HavaleSandbox(HavaleTransport transport, HavaleTokens tokens)
    {
        _transport = transport;
        _tokens = tokens;
    }

    /// <summary>What the token endpoint returns after a real consent, kept under <paramref name="key"/>.</summary>
    public async Task<HavaleToken> ConsentAsync(string key, SandboxConsent consent, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object>
        {
            ["grant_type"] = "authorization_code",
            ["nid"] = consent.NationalCode,
            ["deposits"] = consent.Deposits,
            ["scopes"] = string.Join(",", consent.Scopes),
            ["limit"] = consent.LimitRials,
            ["bank"] = consent.Bank,
        };
        var answer = await SendAsync(HttpMethod.Post, "/tokens", body, cancellationToken).ConfigureAwait(false);
        var token = _tokens.ToToken(answer);
        await _tokens.StoreAsync(key, token, cancellationToken).ConfigureAwait(false);
        return token;
    }

    public async Task<SandboxClock> ClockAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, "/clock", null, cancellationToken).ConfigureAwait(false)).Result<SandboxClock>();

    /// <summary>Moves the sandbox clock forward to <paramref name="now"/> and stops it there; what became due has run when this returns.</summary>
    public async Task<SandboxClock> SetClockAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object> { ["now"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture) };
        return (await SendAsync(HttpMethod.Put, "/clock", body, cancellationToken).ConfigureAwait(false)).Result<SandboxClock>();
    }

    /// <summary>Makes a simulated bank (three digits, e.g. 012 Mellat) answer normally, refuse, time out or be down.</summary>
    public async Task SetBankAsync(string bankCode, SandboxBankMode mode, int latencyMs = 0, CancellationToken cancellationToken = default)
    {
        var body = new Dictionary<string, object> { ["mode"] = mode.ToString().ToLowerInvariant(), ["latencyMs"] = latencyMs };
        await SendAsync(HttpMethod.Put, $"/banks/{Uri.EscapeDataString(bankCode)}/behaviour", body, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SandboxLedger> LedgerAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, "/ledger", null, cancellationToken).ConfigureAwait(false)).Result<SandboxLedger>();

    private async Task<WireAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var answer = await _transport.SendAsync(new HavaleRequest(method, "/sandbox/v1" + path, body) { Authorization = _tokens.ClientBasic() },
            cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess ? answer : throw answer.Error();
    }
}
