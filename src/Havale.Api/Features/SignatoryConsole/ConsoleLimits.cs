namespace Havale.Api.Features.SignatoryConsole;

/// <summary>Every bound of the signatory console, in one place; each has a test at the bound or past it.</summary>
public static class ConsoleLimits
{
    /// <summary>A console left alone this long signs its person out (the cookie slides while they use it).</summary>
    public const int SessionIdleMinutes = 5;

    /// <summary>Orders listed on the home page in each section; more wait their turn on the deposit's own page.</summary>
    public const int HomeOrdersShownMax = 50;

    /// <summary>Deposits listed on the home page; nobody signs for more in the sandbox, and a page should stay short.</summary>
    public const int DepositsShownMax = 100;

    /// <summary>A page of a deposit's orders (each may carry 1,000 rows, as the API's list page).</summary>
    public const int DepositOrdersPageSize = 10;

    /// <summary>A page of statement lines.</summary>
    public const int StatementPageSize = 50;

    /// <summary>The furthest page of orders or statement lines; past it a narrower date range is the answer.</summary>
    public const int PageNumberMax = 2_000;

    /// <summary>A statement date as a person types it: 1408/10/15 is ten characters.</summary>
    public const int TypedDateCharsMax = 10;

    /// <summary>A protected action token is about 300 characters; anything much longer is not one of ours.</summary>
    public const int ActionTokenCharsMax = 1_000;

    /// <summary>A sign-in's return address: a console path, never a long or foreign one.</summary>
    public const int ReturnUrlCharsMax = 200;

    /// <summary>How long a repeated submit (a double click) waits for the first one to finish before saying it still runs.</summary>
    public const int RepeatWaitMillisecondsMax = 10_000;
}
