namespace Havale.Domain.Tests.Rails;

/// <summary>The wall-clock rules of the rails, at the second either side of every edge, in Tehran time.</summary>
public class RailHoursTests
{
    private static readonly TimeSpan TehranOffset = new(3, 30, 0);
    private static readonly DateOnly Day = new(2026, 11, 24);
    private static readonly DateOnly LateReopeningDay = new(2026, 11, 25);

    private static DateTimeOffset Tehran(DateOnly date, int hour, int minute, int second, int millisecond = 0)
        => new(date.Year, date.Month, date.Day, hour, minute, second, millisecond, TehranOffset);

    private static DateTimeOffset Tehran(int hour, int minute, int second, int millisecond = 0) => Tehran(Day, hour, minute, second, millisecond);

    private static PolHours DefaultPolHours() => new(PolHours.DefaultReopensAtTehran);

    private static PolHours PolHoursReopeningLateOnce()
        => new(PolHours.DefaultReopensAtTehran, new Dictionary<DateOnly, TimeOnly> { [LateReopeningDay] = new(5, 30) });

    [Theory]
    [InlineData(0, 0, 0, false)]
    [InlineData(2, 15, 0, false)]
    [InlineData(4, 29, 59, false)]
    [InlineData(4, 30, 0, true)]
    [InlineData(12, 0, 0, true)]
    [InlineData(23, 59, 59, true)]
    public void pol_is_closed_from_midnight_until_half_past_four(int hour, int minute, int second, bool isOpen)
        => Assert.Equal(isOpen, DefaultPolHours().IsOpen(Tehran(hour, minute, second)));

    [Fact]
    public void pol_is_still_closed_in_the_last_millisecond_before_half_past_four()
        => Assert.False(DefaultPolHours().IsOpen(Tehran(4, 29, 59, 999)));

    [Theory]
    [InlineData(4, 30, 0, false)]
    [InlineData(5, 29, 59, false)]
    [InlineData(5, 30, 0, true)]
    public void pol_reopens_at_half_past_five_on_a_date_the_bank_announced(int hour, int minute, int second, bool isOpen)
        => Assert.Equal(isOpen, PolHoursReopeningLateOnce().IsOpen(Tehran(LateReopeningDay, hour, minute, second)));

    [Fact]
    public void a_late_reopening_date_does_not_change_the_other_days()
        => Assert.True(PolHoursReopeningLateOnce().IsOpen(Tehran(Day, 4, 30, 0)));

    [Fact]
    public void pol_hours_read_tehran_time_whatever_offset_the_instant_carries()
    {
        // The same instants written in UTC and in UTC−5: the rule reads them in Tehran, where they are 04:29:59 and 04:30:00.
        var closedInTehran = Tehran(4, 29, 59).ToUniversalTime();
        var openInTehran = Tehran(4, 30, 0).ToOffset(TimeSpan.FromHours(-5));

        Assert.False(DefaultPolHours().IsOpen(closedInTehran));
        Assert.True(DefaultPolHours().IsOpen(openInTehran));
    }

    [Fact]
    public void a_paya_payment_one_second_before_a_cycle_settles_in_that_cycle()
        => Assert.Equal(Tehran(10, 45, 0), PayaCycles.NextSettlement(Tehran(10, 44, 59)));

    [Fact]
    public void a_paya_payment_exactly_at_a_cycle_has_missed_it_and_waits_for_the_next()
        => Assert.Equal(Tehran(13, 45, 0), PayaCycles.NextSettlement(Tehran(10, 45, 0)));

    [Fact]
    public void a_paya_payment_at_the_last_cycle_of_the_day_settles_in_the_first_cycle_of_the_next_day()
        => Assert.Equal(Tehran(Day.AddDays(1), 3, 45, 0), PayaCycles.NextSettlement(Tehran(18, 45, 0)));

    [Fact]
    public void a_paya_payment_just_before_midnight_settles_at_a_quarter_to_four()
        => Assert.Equal(Tehran(Day.AddDays(1), 3, 45, 0), PayaCycles.NextSettlement(Tehran(23, 59, 59)));

    [Fact]
    public void a_paya_payment_just_before_the_first_cycle_settles_the_same_morning()
        => Assert.Equal(Tehran(3, 45, 0), PayaCycles.NextSettlement(Tehran(3, 44, 59)));

    [Theory]
    [InlineData(0, 0, 0, 3, 45)]
    [InlineData(3, 45, 0, 10, 45)]
    [InlineData(13, 44, 59, 13, 45)]
    [InlineData(13, 45, 0, 18, 45)]
    [InlineData(18, 44, 59, 18, 45)]
    public void every_paya_cycle_takes_what_came_strictly_before_it(int hour, int minute, int second, int cycleHour, int cycleMinute)
        => Assert.Equal(Tehran(cycleHour, cycleMinute, 0), PayaCycles.NextSettlement(Tehran(hour, minute, second)));

    [Fact]
    public void the_next_paya_settlement_is_always_strictly_later_and_at_most_nine_hours_away()
    {
        // The longest gap between cycles is 18:45 → 03:45, nine hours; walk a whole day minute by minute.
        var limitSeconds = TimeSpan.FromHours(9).TotalSeconds;
        for (var minutes = 0; minutes < 24 * 60; minutes++)
        {
            var instant = Tehran(0, 0, 0).AddMinutes(minutes);
            var settles = PayaCycles.NextSettlement(instant);
            Assert.True(settles > instant, $"{instant:O} settles at {settles:O}");
            Assert.True((settles - instant).TotalSeconds <= limitSeconds, $"{instant:O} settles at {settles:O}");
        }
    }

    [Theory]
    [InlineData(0, 0, 0, true)]
    [InlineData(12, 0, 0, true)]
    [InlineData(23, 53, 59, true)]
    [InlineData(23, 54, 0, false)]
    [InlineData(23, 59, 59, false)]
    public void internal_transfers_pause_from_six_minutes_to_midnight(int hour, int minute, int second, bool isOpen)
        => Assert.Equal(isOpen, InternalTransferHours.IsOpen(Tehran(hour, minute, second)));
}
