namespace Havale.Api.Platform;

/// <summary>
/// The gateway's one clock. Wall-clock rules (Pol hours, Paya cycles, Jalali dates) read its local zone, which is
/// always Asia/Tehran whatever the server's own zone is. In sandbox mode it can be set, forward only, like Stripe's
/// test clocks: once set it stands still until set again, so a developer's tests are deterministic.
/// </summary>
public class HavaleClock : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _frozenUtc;

    public override TimeZoneInfo LocalTimeZone => TehranTime.Zone;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _frozenUtc ?? base.GetUtcNow();
        }
    }

    public bool IsFrozen
    {
        get
        {
            lock (_gate)
            {
                return _frozenUtc is not null;
            }
        }
    }

    /// <summary>Stops the clock at <paramref name="nowUtc"/>; refuses to go back, since time that ran cannot un-run.</summary>
    public bool TrySetForward(DateTimeOffset nowUtc)
    {
        lock (_gate)
        {
            var current = _frozenUtc ?? base.GetUtcNow();
            if (nowUtc < current)
            {
                return false;
            }
            _frozenUtc = nowUtc.ToUniversalTime();
            return true;
        }
    }

    /// <summary>Takes up a setting another node made, if it is later than this clock's own setting (or this clock was never set).</summary>
    public void RestoreForward(DateTimeOffset frozenUtc)
    {
        lock (_gate)
        {
            if (_frozenUtc is not { } current || frozenUtc > current)
            {
                _frozenUtc = frozenUtc.ToUniversalTime();
            }
        }
    }

    /// <summary>Restores a clock setting read back from storage at start, whatever the real time is now.</summary>
    public void Restore(DateTimeOffset frozenUtc)
    {
        lock (_gate)
        {
            _frozenUtc = frozenUtc.ToUniversalTime();
        }
    }
}
