using System.Globalization;
using Havale.Api.Ledger;
using Havale.Api.Rails;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Sandbox;

public sealed record LedgerAccountView(string Account, string Kind, long BalanceRials, long PendingRials);

public sealed record LedgerView(IReadOnlyList<LedgerAccountView> Accounts, long SumRials);

public sealed record ClockView(string Now, string Tehran, string Jalali, bool IsFrozen);

public sealed record SetClockRequest(string? Now);

public sealed record BehaviourRequest(string? Mode, int? LatencyMs);

public sealed record BehaviourView(string BankCode, string Mode, int LatencyMs);

/// <summary>Sandbox-only routes: look at the ledger, move the clock, make a simulated bank misbehave.</summary>
public static class SandboxEndpoints
{
    public static void Map(RouteGroupBuilder sandbox)
    {
        sandbox.MapGet("/ledger", GetLedgerAsync).WithSummary("Every ledger account with its posted and held balance; the sum is always 0.");
        sandbox.MapGet("/clock", GetClock).WithSummary("The gateway's clock.");
        sandbox.MapPut("/clock", SetClockAsync)
            .WithSummary("Moves the sandbox clock forward and stops it there; whatever became due has run before the answer.");
        sandbox.MapPut("/banks/{bankCode}/behaviour", SetBehaviourAsync)
            .WithSummary("How a simulated bank answers: normal, reject, timeout or down, with a latency.");
    }

    private static async Task<JsonHttpResult<SuccessEnvelope<LedgerView>>> GetLedgerAsync(HttpContext context, HavaleDb db,
        CancellationToken cancellationToken)
    {
        var accounts = await db.LedgerAccounts.AsNoTracking().OrderBy(account => account.Id)
            .Select(account => new { account.Code, account.Kind, account.BalanceRials, account.PendingRials })
            .ToListAsync(cancellationToken);
        var views = accounts
            .Select(account => new LedgerAccountView(account.Code, KindName(account.Kind), account.BalanceRials, account.PendingRials))
            .ToList();
        // Summed in C# with checked arithmetic: an overflow here would be a broken ledger, and must not wrap silently.
        var sumRials = views.Aggregate(0L, (sum, account) => checked(sum + account.BalanceRials));
        return Envelopes.Ok(context, new LedgerView(views, sumRials));
    }

    private static JsonHttpResult<SuccessEnvelope<ClockView>> GetClock(HttpContext context, HavaleClock clock)
        => Envelopes.Ok(context, View(clock));

    private static async Task<JsonHttpResult<SuccessEnvelope<ClockView>>> SetClockAsync(HttpContext context, SetClockRequest body, HavaleClock clock,
        SandboxClockStore store, PaymentRails rails, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Now))
        {
            throw ApiProblem.Field("now", "is required: an ISO 8601 instant with its offset, e.g. 2026-11-24T04:30:00+03:30");
        }
        if (!DateTimeOffset.TryParseExact(body.Now, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var now)
            || !body.Now.Contains('Z', StringComparison.Ordinal) && !HasOffset(body.Now))
        {
            throw ApiProblem.Field("now", "must be an ISO 8601 instant with its offset, e.g. 2026-11-24T04:30:00+03:30");
        }
        if (!clock.TrySetForward(now))
        {
            throw ApiProblem.Field("now", $"must not be before the clock's current time {clock.GetUtcNow():O}: the sandbox clock only moves forward");
        }
        await store.SaveAsync(now, cancellationToken);
        await rails.ResolveDueAsync(cancellationToken);
        return Envelopes.Ok(context, View(clock));
    }

    private static async Task<JsonHttpResult<SuccessEnvelope<BehaviourView>>> SetBehaviourAsync(HttpContext context, string bankCode, BehaviourRequest body,
        SimulatedBanks banks, PaymentRails rails, CancellationToken cancellationToken)
    {
        if (Banks.Find(bankCode) is null || bankCode == Banks.HostBankCode)
        {
            throw ApiProblem.Field("bankCode", $"'{bankCode}' is not a simulated bank; use a 3-digit code of another bank, e.g. 012");
        }
        if (!Enum.TryParse<BankMode>(body.Mode, ignoreCase: true, out var mode) || !Enum.IsDefined(mode)
            || body.Mode!.Any(char.IsDigit))
        {
            throw ApiProblem.Field("mode", "must be normal, reject, timeout or down");
        }
        var latencyMs = body.LatencyMs ?? 0;
        if (latencyMs is < 0 or > SimulatedBanks.LatencyMsMax)
        {
            throw ApiProblem.Field("latencyMs", $"must be 0 to {SimulatedBanks.LatencyMsMax}");
        }
        var behaviour = await banks.SetBehaviourAsync(bankCode, mode, latencyMs, cancellationToken);
        // A bank that stops timing out now answers what it was asked before.
        await rails.ResolveDueAsync(cancellationToken);
        return Envelopes.Ok(context, new BehaviourView(behaviour.BankCode, behaviour.Mode.ToString().ToLowerInvariant(), behaviour.LatencyMs));
    }

    private static bool HasOffset(string text) => text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':';

    private static ClockView View(HavaleClock clock)
    {
        var now = clock.GetUtcNow();
        return new ClockView(now.ToString("O", CultureInfo.InvariantCulture), TehranTime.ToTehran(now).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            Jalali.KilidDateTime(now), clock.IsFrozen);
    }

    private static string KindName(LedgerAccountKind kind) => kind switch
    {
        LedgerAccountKind.Deposit => "deposit",
        LedgerAccountKind.Clearing => "clearing",
        LedgerAccountKind.ExternalBank => "bank",
        LedgerAccountKind.Genesis => "genesis",
    };
}

/// <summary>Keeps the sandbox clock's setting in the database, so a restart does not send time back to the real now.</summary>
public sealed class SandboxClockStore(IDbContextFactory<HavaleDb> dbFactory, HavaleClock clock)
{
    public async Task SaveAsync(DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var value = nowUtc.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        var setting = await db.SandboxSettings.SingleOrDefaultAsync(row => row.Key == SandboxSetting.ClockKey, cancellationToken);
        if (setting is null)
        {
            db.SandboxSettings.Add(new SandboxSetting { Key = SandboxSetting.ClockKey, Value = value });
        }
        else
        {
            setting.Value = value;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Takes up a later setting saved by another node; never moves the clock back.</summary>
    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken) is { } savedUtc)
        {
            clock.RestoreForward(savedUtc);
        }
    }

    private async Task<DateTimeOffset?> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var setting = await db.SandboxSettings.AsNoTracking().SingleOrDefaultAsync(row => row.Key == SandboxSetting.ClockKey, cancellationToken);
        return setting is null ? null : DateTimeOffset.Parse(setting.Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    }

    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken) is { } savedUtc)
        {
            clock.Restore(savedUtc);
        }
    }
}
