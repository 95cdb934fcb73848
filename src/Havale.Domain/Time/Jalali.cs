using System.Globalization;

namespace Havale.Domain;

/// <summary>
/// Jalali (Solar Hijri) dates as Finnotech writes them: always of the Tehran wall clock and
/// always in ASCII digits, whatever the server's culture.
/// </summary>
public static class Jalali
{
    // A limit on what callers may ask for: the whole span Havale's data can cover
    // (1921 to 2121), well inside what PersianCalendar supports.
    public const int MinYear = 1300;
    public const int MaxYear = 1499;

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
    public static bool TryParseDate(string? text, out DateTimeOffset startOfDayTehran, out string error)
    {
        startOfDayTehran = default;
        if (string.IsNullOrEmpty(text))
        {
            error = ParseErrors.Required;
            return false;
        }
        if (!AsciiDigits.IsExactly(text, DateLength))
        {
            error = DateShapeError;
            return false;
        }
        var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(text.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var day = int.Parse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (year is < MinYear or > MaxYear)
        {
            error = YearRangeError;
            return false;
        }
        if (month is < 1 or > MonthsInYear)
        {
            error = MonthError;
            return false;
        }
        if (day < 1 || day > Calendar.GetDaysInMonth(year, month))
        {
            error = DayError;
            return false;
        }
        startOfDayTehran = StartOfDay(year, month, day);
        error = "";
        return true;
    }

    public static (int Year, int Month) YearMonth(DateTimeOffset instant)
    {
        var (year, month, _, _) = InTehran(instant);
        return (year, month);
    }

    public static DateTimeOffset StartOfMonth(int jalaliYear, int jalaliMonth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jalaliYear, MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jalaliYear, MaxYear);
        ArgumentOutOfRangeException.ThrowIfLessThan(jalaliMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jalaliMonth, MonthsInYear);
        return StartOfDay(jalaliYear, jalaliMonth, 1);
    }

    private static DateTimeOffset StartOfDay(int year, int month, int day) =>
        TehranTime.FirstInstantAt(Calendar.ToDateTime(year, month, day, 0, 0, 0, 0));

    private static (int Year, int Month, int Day, DateTime WallClock) InTehran(DateTimeOffset instant)
    {
        var wallClock = TehranTime.ToTehran(instant).DateTime;
        return (Calendar.GetYear(wallClock), Calendar.GetMonth(wallClock), Calendar.GetDayOfMonth(wallClock), wallClock);
    }
}
