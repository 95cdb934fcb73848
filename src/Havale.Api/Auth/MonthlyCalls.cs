using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Auth;

/// <summary>
/// Finnotech's <c>monthlyCallLimitation</c>: the <c>count</c> a customer granted on the consent page, the calls the
/// consent's tokens may make in one Jalali month. <see cref="GrantId"/> names the consent, so a refreshed token goes on
/// counting where the one it replaced stopped.
/// </summary>
public sealed record MonthlyCallLimit(Guid GrantId, int CallsPerMonthMax)
{
    /// <summary>The highest <c>count</c> a consent may grant; the claim of a token carrying more is not one Havale wrote.</summary>
    public const int CallsPerMonthMaxAllowed = AuthLimits.MonthlyCallsMax;

    public static MonthlyCallLimit ForNewConsent(int callsPerMonthMax)
    {
        Invariant.Holds(callsPerMonthMax is >= 1 and <= CallsPerMonthMaxAllowed);
        return new MonthlyCallLimit(Guid.NewGuid(), callsPerMonthMax);
    }
}

/// <summary>A Jalali month on the Tehran wall clock, stored as <c>yyyyMM</c> (140509 is Azar 1405).</summary>
public readonly record struct JalaliMonth(int Year, int Month)
{
    public static JalaliMonth Of(DateTimeOffset instant)
    {
        var (year, month) = Jalali.YearMonth(instant);
        return new JalaliMonth(year, month);
    }

    public int Key => Year * 100 + Month;

    public DateTimeOffset StartUtc => Jalali.StartOfMonth(Year, Month).ToUniversalTime();

    public JalaliMonth Next => Month == 12 ? new JalaliMonth(Year + 1, 1) : new JalaliMonth(Year, Month + 1);

    public JalaliMonth Previous => Month == 1 ? new JalaliMonth(Year - 1, 12) : new JalaliMonth(Year, Month - 1);

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Year:D4}/{Month:D2}");
}

/// <summary>One consent's calls in one Jalali month: a row per (grant, month), its count moved by one statement a call.</summary>
public sealed class TokenCallMonth
{
    /// <summary>A Guid in its 32-hex-digit "N" form, as the token's grantId claim writes it.</summary>
    public const int GrantIdChars = 32;

    public required string GrantId { get; init; }
    public required int JalaliMonth { get; init; }
    public required int Calls { get; set; }
}

internal sealed class TokenCallMonthConfiguration : IEntityTypeConfiguration<TokenCallMonth>
{
    public void Configure(EntityTypeBuilder<TokenCallMonth> builder)
    {
        builder.ToTable("token_call_months", table => table.HasCheckConstraint("ck_token_call_months_calls_positive", "calls > 0"));
        builder.HasKey(month => new { month.GrantId, month.JalaliMonth });
        builder.Property(month => month.GrantId).HasMaxLength(TokenCallMonth.GrantIdChars).IsFixedLength();
    }
}

/// <summary>
/// Counts each call of a token that carries a monthly limit, and refuses the call that would pass it: 429
/// TOO_MANY_REQUESTS with Retry-After until the next Jalali month begins in Tehran. Runs after the access check and the
/// flood limits (a call they refuse is not counted) and before the call log (a refused call leaves its trackId unused).
/// <para>
/// The count lives in the database, so it holds across every node, and moves in one atomic statement: an upsert whose
/// update is guarded by <c>calls &lt; limit</c>, so of N calls racing for the last K calls exactly K take one. Tokens
/// without a limit (client credentials, consents without <c>count</c>) cost nothing here.
/// </para>
/// </summary>
public sealed class MonthlyCallLimitMiddleware(RequestDelegate next, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<FinnotechGrant>() is { MonthlyCalls: { } limit })
        {
            var now = clock.GetUtcNow();
            var month = JalaliMonth.Of(now);
            var db = context.RequestServices.GetRequiredService<HavaleDb>();
            if (!await TryTakeCallAsync(db, limit, month, context.RequestAborted))
            {
                await RefuseAsync(context, limit, month, now);
                return;
            }
        }
        await next(context);
    }

    /// <summary>True when this call was counted within the limit; false when the month's calls are all used.</summary>
    private static async Task<bool> TryTakeCallAsync(HavaleDb db, MonthlyCallLimit limit, JalaliMonth month, CancellationToken cancellationToken)
    {
        var grantId = limit.GrantId.ToString("N");
        // The first call of a month inserts the row with 1 (a limit is at least 1); every later one adds 1 only while
        // below the limit. A call refused by the WHERE changes no row, and that is how it is told apart. PostgreSQL
        // locks the row for the update and re-checks the WHERE on the newest version; SQLite has one writer.
        var taken = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO token_call_months (grant_id, jalali_month, calls) VALUES ({grantId}, {month.Key}, 1)
            ON CONFLICT (grant_id, jalali_month) DO UPDATE SET calls = token_call_months.calls + 1
            WHERE token_call_months.calls < {limit.CallsPerMonthMax}
            """, cancellationToken);
        Invariant.Holds(taken is 0 or 1);
        return taken == 1;
    }

    private static Task RefuseAsync(HttpContext context, MonthlyCallLimit limit, JalaliMonth month, DateTimeOffset now)
    {
        var next = month.Next;
        var retryAfterSeconds = Math.Max(1L, (long)Math.Ceiling((next.StartUtc - now).TotalSeconds));
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return EnvelopeExceptionHandler.WriteFailureAsync(context, StatusCodes.Status429TooManyRequests, ErrorCode.TooManyRequests,
            $"{MonthlyCallLimitMessage}: this token's {limit.CallsPerMonthMax} calls for Jalali month {month} are used; "
            + $"calls are allowed again from {next}/01 00:00 Tehran time");
    }

    /// <summary>The refusal's first words, the token result's field name, so a client can tell this 429 from a flood's.</summary>
    public const string MonthlyCallLimitMessage = "monthlyCallLimitation exceeded";
}
