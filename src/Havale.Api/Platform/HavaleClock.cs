using Havale.Domain;

namespace Havale.Api.Platform;

/// <summary>
/// The gateway's one clock. Wall-clock rules (Pol hours, Paya cycles, Jalali dates) read its local zone, which is
/// always Asia/Tehran whatever the server's own zone is.
/// </summary>
public class HavaleClock : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TehranTime.Zone;
}
