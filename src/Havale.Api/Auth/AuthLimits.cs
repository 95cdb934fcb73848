namespace Havale.Api.Auth;

/// <summary>Bounds of the OAuth surface, each with a test at the bound and one past it.</summary>
public static class AuthLimits
{
    /// <summary>Ten days, as Finnotech issues them.</summary>
    public const long AccessTokenLifetimeMillisecondsDefault = 864_000_000;

    /// <summary>Enough for an SDK that refreshes eagerly, far too few to guess a client secret.</summary>
    public const int TokenRequestsPerMinute = 60;

    /// <summary>A person mistypes a password a few times; a script guessing national codes needs thousands.</summary>
    public const int LoginAttemptsPerMinute = 10;

    /// <summary>Deposits one consent or sandbox token may grant.</summary>
    public const int DepositsPerGrantMax = 50;

    /// <summary>The comma-separated scope list of one request, in characters.</summary>
    public const int ScopeListCharsMax = 1_000;

    /// <summary>A consent page login password (the sandbox default is the 10-digit national code).</summary>
    public const int PasswordCharsMax = 100;

    /// <summary>How long the consent page remembers who logged in.</summary>
    public const int ConsentSessionMinutes = 15;

    /// <summary>
    /// The highest <c>count</c> (Finnotech's monthlyCallLimitation) a consent may grant: about 3.9 calls a second for a
    /// whole month, far past any use the count is meant to bound, and well inside a 32-bit counter.
    /// </summary>
    public const int MonthlyCallsMax = 10_000_000;

    /// <summary>Tokens listed by GET /dev/v2/clients/{clientId}/tokens, newest first.</summary>
    public const int TokensListedMax = 100;
}
