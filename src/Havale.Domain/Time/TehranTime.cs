namespace Havale.Domain;

/// <summary>
/// Every wall-clock rule (Pol hours, Paya cycles, Jalali dates) is in Tehran time, whatever
/// the server's own zone.
/// </summary>
public static class TehranTime
{
    private const string ZoneId = "Asia/Tehran";

    /// <summary>
    /// The system's Asia/Tehran when it has one, so that instants before 2022 keep the
    /// daylight saving Iran had then. Containers without time-zone data get a fixed +03:30,
    /// which is right for every instant since Iran abolished daylight saving in 2022.
    /// </summary>
    public static TimeZoneInfo Zone { get; } =
        TimeZoneInfo.TryFindSystemTimeZoneById(ZoneId, out var zone)
            ? zone
            : TimeZoneInfo.CreateCustomTimeZone(ZoneId, new TimeSpan(3, 30, 0), "Tehran", "Iran Standard Time");

    public static DateTimeOffset ToTehran(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>
    /// The first instant at or after a Tehran wall-clock time. When daylight saving began,
    /// clocks jumped from 00:00 to 01:00, so a midnight that never happened is read as the
    /// jump itself (01:00 in the new offset); when it ended, an hour repeated and the earlier
    /// of the two is taken.
    /// </summary>
    internal static DateTimeOffset FirstInstantAt(DateTime wallClockTehran)
    {
        var unspecified = DateTime.SpecifyKind(wallClockTehran, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified))
        {
            // Only a forward jump makes a time invalid, and the offset before it is the standard one.
            return ToTehran(new DateTimeOffset(unspecified, Zone.BaseUtcOffset));
        }
        var offset = Zone.IsAmbiguousTime(unspecified)
            ? Zone.GetAmbiguousTimeOffsets(unspecified).Max()
            : Zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }
}
