using System.Globalization;

namespace Havale.Domain.Tests.Time;

public class JalaliTests
{
    private static readonly TimeSpan TehranStandardOffset = new(3, 30, 0);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Vectors.JalaliRenderings), MemberType = typeof(Vectors))]
    public void instant_is_rendered_in_tehran_as_the_vectors_say(string utc, string tehran, string kilid, string polDate, string polTime)
    {
        var instant = Instant(utc);

        Assert.Equal(kilid, Jalali.KilidDateTime(instant));
        Assert.Equal(polDate, Jalali.PolDate(instant));
        Assert.Equal(polTime, Jalali.PolTime(instant));

        var inTehran = TehranTime.ToTehran(instant);
        var expected = Instant(tehran);
        Assert.Equal(expected.DateTime, inTehran.DateTime);
        Assert.Equal(expected.Offset, inTehran.Offset);
    }

    [Fact]
    public void rendering_does_not_depend_on_the_offset_the_instant_carries()
    {
        var utc = Instant("2026-11-23T09:45:30Z");
        var sameInstantElsewhere = utc.ToOffset(TimeSpan.FromHours(-7));

        Assert.Equal(Jalali.KilidDateTime(utc), Jalali.KilidDateTime(sameInstantElsewhere));
    }

    [Fact]
    public void rendering_uses_ascii_digits_and_the_tehran_clock_under_a_persian_culture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("fa-IR");
            var instant = Instant("2026-11-23T09:45:30Z");

            Assert.Equal("14050902131530", Jalali.KilidDateTime(instant));
            Assert.Equal("050902", Jalali.PolDate(instant));
            Assert.Equal("131530", Jalali.PolTime(instant));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Theory]
    [InlineData("2026-03-20T20:29:59Z", 1404, 12)]
    [InlineData("2026-03-20T20:30:00Z", 1405, 1)]
    [InlineData("2026-11-23T09:45:30Z", 1405, 9)]
    public void year_and_month_are_those_of_tehran(string utc, int expectedYear, int expectedMonth) =>
        Assert.Equal((expectedYear, expectedMonth), Jalali.YearMonth(Instant(utc)));

    [Theory]
    [InlineData("14050101", "2026-03-21T00:00:00+03:30")]
    [InlineData("14050902", "2026-11-23T00:00:00+03:30")]
    [InlineData("14031230", "2025-03-20T00:00:00+03:30")] // 30 Esfand of the leap year 1403
    [InlineData("14050631", "2026-09-22T00:00:00+03:30")] // the first six months have 31 days
    [InlineData("14050730", "2026-10-22T00:00:00+03:30")]
    public void jalali_date_is_read_as_the_start_of_that_day_in_tehran(string text, string expected)
    {
        Assert.True(Jalali.TryParseDate(text, out var startOfDay, out var error), error);
        Assert.Equal("", error);
        Assert.Equal(Instant(expected).DateTime, startOfDay.DateTime);
        Assert.Equal(Instant(expected).Offset, startOfDay.Offset);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("1405011", "must be a Jalali date written yyyyMMdd")]
    [InlineData("140501011", "must be a Jalali date written yyyyMMdd")]
    [InlineData("1405-1-1", "must be a Jalali date written yyyyMMdd")]
    [InlineData(" 14050101", "must be a Jalali date written yyyyMMdd")]
    [InlineData("۱۴۰۵۰۱۰۱", "must be a Jalali date written yyyyMMdd")]
    [InlineData("12991229", "must be a Jalali date in the years 1300 to 1499")]
    [InlineData("15000101", "must be a Jalali date in the years 1300 to 1499")]
    [InlineData("14051301", "must have a month from 01 to 12")]
    [InlineData("14050001", "must have a month from 01 to 12")]
    [InlineData("14050100", "must have a day that exists in that month")]
    [InlineData("14050632", "must have a day that exists in that month")]
    [InlineData("14050731", "must have a day that exists in that month")] // months 7 to 11 have 30 days
    [InlineData("14041230", "must have a day that exists in that month")] // 1404 is not a leap year
    public void impossible_jalali_date_is_refused(string? text, string expectedError)
    {
        Assert.False(Jalali.TryParseDate(text, out var startOfDay, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal(default, startOfDay);
    }

    [Theory]
    [InlineData("13000101", 1300, 1)]
    [InlineData("14991201", 1499, 12)]
    public void first_and_last_accepted_years_are_read(string text, int expectedYear, int expectedMonth)
    {
        Assert.True(Jalali.TryParseDate(text, out var startOfDay, out var error), error);
        Assert.Equal((expectedYear, expectedMonth), Jalali.YearMonth(startOfDay));
        Assert.Equal(TimeSpan.Zero, startOfDay.DateTime.TimeOfDay);
    }

    [Fact]
    public void leap_years_are_those_of_dotnets_persian_calendar()
    {
        var calendar = new PersianCalendar();

        Assert.True(calendar.IsLeapYear(1403));
        Assert.False(calendar.IsLeapYear(1404));
        Assert.True(Jalali.TryParseDate("14031230", out _, out _));
        Assert.False(Jalali.TryParseDate("14041230", out _, out _));
    }

    [Fact]
    public void midnight_skipped_by_daylight_saving_starts_the_day_at_the_jump()
    {
        // On 2 Farvardin 1400 (22 March 2021) Tehran's clocks went from 00:00 to 01:00.
        Assert.True(Jalali.TryParseDate("14000102", out var startOfDay, out _));

        if (TehranTime.Zone.SupportsDaylightSavingTime)
        {
            Assert.Equal(new DateTimeOffset(2021, 3, 22, 1, 0, 0, TimeSpan.FromHours(4.5)), startOfDay);
            Assert.Equal(TimeSpan.FromHours(4.5), startOfDay.Offset);
        }
        Assert.Equal(Instant("2021-03-21T20:30:00Z"), startOfDay);
    }

    [Fact]
    public void day_after_daylight_saving_ended_starts_at_the_standard_offset()
    {
        // Daylight saving ended at the end of 30 Shahrivar 1400 (21 September 2021).
        Assert.True(Jalali.TryParseDate("14000631", out var startOfDay, out _));

        Assert.Equal(new DateTime(2021, 9, 22), startOfDay.DateTime);
        Assert.Equal(TehranStandardOffset, startOfDay.Offset);
    }

    [Fact]
    public void start_of_month_is_the_first_day_at_midnight_in_tehran()
    {
        var start = Jalali.StartOfMonth(1405, 1);

        Assert.Equal(Instant("2026-03-20T20:30:00Z"), start);
        Assert.Equal(TehranStandardOffset, start.Offset);
        Assert.Equal(Instant("2026-11-22T00:00:00+03:30"), Jalali.StartOfMonth(1405, 9));
        Assert.Equal((1405, 9), Jalali.YearMonth(Jalali.StartOfMonth(1405, 9)));
        Assert.Equal((1405, 8), Jalali.YearMonth(Jalali.StartOfMonth(1405, 9).AddTicks(-1)));
    }

    [Theory]
    [InlineData(Jalali.YearMin, 1)]
    [InlineData(Jalali.YearMax, 12)]
    public void start_of_month_accepts_the_limits(int year, int month) =>
        Assert.Equal((year, month), Jalali.YearMonth(Jalali.StartOfMonth(year, month)));

    [Theory]
    [InlineData(1405, 0)]
    [InlineData(1405, 13)]
    [InlineData(Jalali.YearMin - 1, 12)]
    [InlineData(Jalali.YearMax + 1, 1)]
    public void start_of_month_out_of_range_throws(int year, int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Jalali.StartOfMonth(year, month));
}
