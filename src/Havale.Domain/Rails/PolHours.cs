namespace Havale.Domain;

/// <summary>
/// When Pol (instant interbank transfer) accepts payments. The bank closes it every night from 00:00 Tehran until
/// 04:30, and on some days until 05:30; the reopening time is given per Tehran date so an operator can follow the
/// bank's notices without a release.
/// </summary>
public sealed class PolHours(TimeOnly reopensAtTehran, IReadOnlyDictionary<DateOnly, TimeOnly>? reopensAtOnDate = null)
{
    public static readonly TimeOnly DefaultReopensAtTehran = new(4, 30);

    private readonly IReadOnlyDictionary<DateOnly, TimeOnly> _reopensAtOnDate = reopensAtOnDate ?? new Dictionary<DateOnly, TimeOnly>();

    public TimeOnly ReopensAtTehran { get; } = reopensAtTehran;

    public bool IsOpen(DateTimeOffset instant)
        => TimeOnly.FromDateTime(TehranTime.ToTehran(instant).DateTime) >= ReopensAtTehranOn(instant);

    /// <summary>When Pol reopens on the Tehran day of <paramref name="instant"/>: what a refusal in the closed hours must tell.</summary>
    public TimeOnly ReopensAtTehranOn(DateTimeOffset instant)
    {
        var date = DateOnly.FromDateTime(TehranTime.ToTehran(instant).DateTime);
        return _reopensAtOnDate.TryGetValue(date, out var special) ? special : ReopensAtTehran;
    }
}

/// <summary>Paya (batched interbank transfer) settles in four cycles a day, Tehran time.</summary>
public static class PayaCycles
{
    public static readonly IReadOnlyList<TimeOnly> CyclesTehran = [new(3, 45), new(10, 45), new(13, 45), new(18, 45)];

    /// <summary>
    /// The cycle that will carry a payment submitted at <paramref name="instant"/>: the first cycle strictly after it.
    /// A payment submitted exactly at a cycle's time has missed that cycle's cut-off and goes in the next.
    /// </summary>
    public static DateTimeOffset NextSettlement(DateTimeOffset instant)
    {
        var tehran = TehranTime.ToTehran(instant);
        var date = DateOnly.FromDateTime(tehran.DateTime);
        var wallClock = TimeOnly.FromDateTime(tehran.DateTime);
        foreach (var cycle in CyclesTehran)
        {
            if (cycle > wallClock)
            {
                return TehranTime.FirstInstantAt(date.ToDateTime(cycle));
            }
        }
        return TehranTime.FirstInstantAt(date.AddDays(1).ToDateTime(CyclesTehran[0]));
    }
}

/// <summary>The host bank pauses internal transfers from 23:54 to midnight, Tehran, while it closes its day.</summary>
public static class InternalTransferHours
{
    public static readonly TimeOnly PauseStartsTehran = new(23, 54);

    public static bool IsOpen(DateTimeOffset instant)
        => TimeOnly.FromDateTime(TehranTime.ToTehran(instant).DateTime) < PauseStartsTehran;
}
