using System.Globalization;

namespace Havale.Client;

/// <summary>
/// A Jalali date as the wire writes it (<c>13950918112816</c>, <c>14031005</c>, or Pol's <c>yyMMdd</c> with
/// <c>HHmmss</c>), kept as sent in <see cref="Text"/>, with the instant it names in Tehran time in <see cref="Tehran"/>.
/// <see cref="Tehran"/> is null for text that is no Jalali date, so an odd value never fails a whole answer.
/// </summary>
[JsonConverter(typeof(JalaliDateTimeJsonConverter))]
public readonly record struct JalaliDateTime(string Text, DateTimeOffset? Tehran)
{
    /// <summary>Pol's two-digit years are of the 1400s (1401 is <c>01</c>), as Finnotech's seed example shows.</summary>
    private const int PolCenturyStart = 1400;

    /// <summary>Reads <c>yyyyMMddHHmmss</c> (Kilid, tokens) or <c>yyyyMMdd</c> (a day, its start).</summary>
    public static JalaliDateTime Parse(string? text)
    {
        if (text is null)
        {
            return new JalaliDateTime("", null);
        }
        if (!IsDigits(text))
        {
            return new JalaliDateTime(text, null);
        }
        return text.Length switch
        {
            14 => new JalaliDateTime(text, Build(Number(text, 0, 4), Number(text, 4, 2), Number(text, 6, 2),
                Number(text, 8, 2), Number(text, 10, 2), Number(text, 12, 2))),
            8 => new JalaliDateTime(text, Build(Number(text, 0, 4), Number(text, 4, 2), Number(text, 6, 2), 0, 0, 0)),
            _ => new JalaliDateTime(text, null),
        };
    }

    /// <summary>Reads Pol's <c>inquiryDate</c> (<c>yyMMdd</c>) and <c>inquiryTime</c> (<c>HHmmss</c>) as one instant; the text keeps both, space-separated.</summary>
    public static JalaliDateTime ParsePol(string? date, string? time)
    {
        var text = $"{date} {time}".Trim();
        if (date is not { Length: 6 } || !IsDigits(date) || time is not { Length: 6 } || !IsDigits(time))
        {
            return new JalaliDateTime(text, null);
        }
        return new JalaliDateTime(text, Build(PolCenturyStart + Number(date, 0, 2), Number(date, 2, 2), Number(date, 4, 2),
            Number(time, 0, 2), Number(time, 2, 2), Number(time, 4, 2)));
    }

    /// <summary>A Tehran instant as Kilid writes it: <c>yyyyMMddHHmmss</c>; with <paramref name="dayOnly"/>, <c>yyyyMMdd</c>.</summary>
    public static string Format(DateTimeOffset instant, bool dayOnly = false)
    {
        var tehran = TehranZone.ToTehran(instant);
        var calendar = new PersianCalendar();
        var local = tehran.DateTime;
        var day = string.Create(CultureInfo.InvariantCulture,
            $"{calendar.GetYear(local):D4}{calendar.GetMonth(local):D2}{calendar.GetDayOfMonth(local):D2}");
        return dayOnly ? day : day + local.ToString("HHmmss", CultureInfo.InvariantCulture);
    }

    public override string ToString() => Text;

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second)
    {
        var calendar = new PersianCalendar();
        if (year < calendar.MinSupportedDateTime.Year || year > 9377 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59
            || day < 1 || day > calendar.GetDaysInMonth(year, month))
        {
            return null;
        }
        var local = calendar.ToDateTime(year, month, day, hour, minute, second, 0);
        return TehranZone.FromTehranWallClock(local);
    }

    private static int Number(string text, int start, int length) => int.Parse(text.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool IsDigits(string text) => text.Length > 0 && text.All(character => character is >= '0' and <= '9');
}

/// <summary>Asia/Tehran from the system's time-zone data, or its standard offset where a system has none.</summary>
internal static class TehranZone
{
    private static readonly TimeSpan StandardOffset = new(3, 30, 0);

    // The zone is read once and never changes; it is the only shared value in the client, and it is immutable.
    private static readonly TimeZoneInfo? Zone = Find();

    public static DateTimeOffset ToTehran(DateTimeOffset instant)
        => Zone is null ? instant.ToOffset(StandardOffset) : TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateTimeOffset FromTehranWallClock(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A wall-clock time skipped by a former daylight-saving change has no offset; the standard one is the reading meant.
        var offset = Zone is null || Zone.IsInvalidTime(unspecified) ? StandardOffset : Zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset);
    }

    private static TimeZoneInfo? Find()
    {
        foreach (var id in new[] { "Asia/Tehran", "Iran Standard Time" })
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (TimeZoneNotFoundException)
            {
            }
            catch (InvalidTimeZoneException)
            {
            }
        }
        return null;
    }
}

internal sealed class JalaliDateTimeJsonConverter : JsonConverter<JalaliDateTime>
{
    public override bool HandleNull => true;

    public override JalaliDateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => reader.TokenType switch
        {
            JsonTokenType.Null => JalaliDateTime.Parse(null),
            JsonTokenType.String => JalaliDateTime.Parse(reader.GetString()),
            // Some answers carry a date as a number (13950918112816); the digits are the same.
            JsonTokenType.Number => JalaliDateTime.Parse(reader.GetInt64().ToString(CultureInfo.InvariantCulture)),
            _ => throw new JsonException("a Jalali date is a string of digits"),
        };

    public override void Write(Utf8JsonWriter writer, JalaliDateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.Text);
}
