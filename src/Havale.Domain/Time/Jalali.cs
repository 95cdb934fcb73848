using System.Globalization;

namespace Havale.Domain;

/// <summary>
/// Jalali (Solar Hijri) dates as Finnotech writes them: always of the Tehran wall clock and
/// always in ASCII digits, whatever the server's culture.
/// </summary>
public static class Jalali
{
    // A limit on what callers may ask for: wide enough for any date a statement or an order
    // can carry (1921 to 2121), and well inside the range PersianCalendar supports.
    public const int YearMin = 1300;
    public const int YearMax = 1499;

    private const int DateLength = 8; // yyyyMMdd
    private const int MonthsInYear = 12;

    internal const string DateShapeError = "must be a Jalali date written yyyyMMdd";
    internal const string YearRangeError = "must be a Jalali date in the years 1300 to 1499";
    internal const string MonthError = "must have a month from 01 to 12";
    internal const string DayError = "must have a day that exists in that month";

    private static readonly PersianCalendar Calendar = new();

    public static string KilidDateTime(DateTimeOffset instant)
    {
        var (year, month, day, wallClock) = InTehran(instant);
        return string.Create(CultureInfo.InvariantCulture,
            $"{year:D4}{month:D2}{day:D2}{wallClock.Hour:D2}{wallClock.Minute:D2}{wallClock.Second:D2}");
    }

    public static string PolDate(DateTimeOffset instant)
    {
        var (year, month, day, _) = InTehran(instant);
        return string.Create(CultureInfo.InvariantCulture, $"{year % 100:D2}{month:D2}{day:D2}");
    }

    public static string PolTime(DateTimeOffset instant)
    {
        var wallClock = TehranTime.ToTehran(instant);
        return string.Create(CultureInfo.InvariantCulture, $"{wallClock.Hour:D2}{wallClock.Minute:D2}{wallClock.Second:D2}");
    }

    /// <summary>
    /// Reads a Jalali <c>yyyyMMdd</c> as the first instant of that day in Tehran, the natural
    /// lower bound of a date range.
    /// </summary>
    public static bool TryParseDate(string? text, out DateTimeOffset startOfDayTehran, out string error) =>
        Parsing.TryParse(text, FindDateProblem, static valid => StartOfDay(DateFields(valid)), out startOfDayTehran, out error);

    public static (int Year, int Month) YearMonth(DateTimeOffset instant)
    {
        var (year, month, _, _) = InTehran(instant);
        return (year, month);
    }

    public static DateTimeOffset StartOfMonth(int jalaliYear, int jalaliMonth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jalaliYear, YearMin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jalaliYear, YearMax);
        ArgumentOutOfRangeException.ThrowIfLessThan(jalaliMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jalaliMonth, MonthsInYear);
        return StartOfDay((jalaliYear, jalaliMonth, 1));
    }

    private static string? FindDateProblem(string text)
    {
        if (!AsciiDigits.IsExactly(text, DateLength))
        {
            return DateShapeError;
        }
        var (year, month, day) = DateFields(text);
        return year is < YearMin or > YearMax ? YearRangeError
            : month is < 1 or > MonthsInYear ? MonthError
            : day < 1 || day > Calendar.GetDaysInMonth(year, month) ? DayError
            : null;
    }

    private static (int Year, int Month, int Day) DateFields(string yyyyMMdd) =>
        (Number(yyyyMMdd.AsSpan(0, 4)), Number(yyyyMMdd.AsSpan(4, 2)), Number(yyyyMMdd.AsSpan(6, 2)));

    private static int Number(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    private static DateTimeOffset StartOfDay((int Year, int Month, int Day) date) =>
        TehranTime.FirstInstantAt(Calendar.ToDateTime(date.Year, date.Month, date.Day, 0, 0, 0, 0));

    private static (int Year, int Month, int Day, DateTime WallClock) InTehran(DateTimeOffset instant)
    {
        var wallClock = TehranTime.ToTehran(instant).DateTime;
        var day = DateOnly.FromDateTime(wallClock);
        // PersianCalendar computes each field astronomically (sines of the sun's longitude); every Pol payment asks for
        // today's date several times, so the last day asked for is kept. One immutable entry, swapped whole, is safe
        // across threads without a lock.
        var last = _lastDay;
        if (last is null || last.Day != day)
        {
            last = new DayFields(day, Calendar.GetYear(wallClock), Calendar.GetMonth(wallClock), Calendar.GetDayOfMonth(wallClock));
            _lastDay = last;
        }
        return (last.Year, last.Month, last.DayOfMonth, wallClock);
    }

    private static volatile DayFields? _lastDay;

    private sealed record DayFields(DateOnly Day, int Year, int Month, int DayOfMonth);
}
