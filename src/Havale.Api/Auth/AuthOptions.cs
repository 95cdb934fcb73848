namespace Havale.Api.Auth;

/// <summary>Configuration under <c>Havale:Auth</c>. Every value has a default that matches Finnotech's behaviour.</summary>
public sealed class AuthOptions
{
    public const string Section = "Havale:Auth";

    /// <summary>Finnotech's tokens live ten days (lifeTime 864000000 ms); so do Havale's unless configured otherwise.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMilliseconds(AuthLimits.AccessTokenLifetimeMillisecondsDefault);

    /// <summary>A refresh token outlives its access token so that a client can renew after a long pause.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The token issuer. Empty means "the address the request came to", which suits the sandbox; a production
    /// gateway behind several names or a proxy should set its public address here so every node issues the same.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>Token requests one caller (address and client id) may make per minute before getting 429.</summary>
    public int TokenRequestsPerMinute { get; set; } = AuthLimits.TokenRequestsPerMinute;

    /// <summary>Sign-in attempts on the consent page one address may make per minute before getting 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = AuthLimits.LoginAttemptsPerMinute;
}
