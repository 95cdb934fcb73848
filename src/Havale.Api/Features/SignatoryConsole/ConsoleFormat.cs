using System.Globalization;

namespace Havale.Api.Features.SignatoryConsole;

/// <summary>
/// Numbers and dates as a Persian reader reads them: Persian digits, the Arabic thousands separator, rials with
/// tomans beside them, and Kilid's Jalali <c>yyyyMMddHHmmss</c> written out as a date and a time.
/// </summary>
public static class ConsoleFormat
{
    private const char ThousandsSeparator = '\u066C';
    private const char DecimalSeparator = '\u066B';
    private const int RialsPerToman = 10;
    private const int KilidDateTimeLength = 14;

    public static string Digits(string text)
        => string.Create(text.Length, text, static (span, source) =>
        {
            for (var index = 0; index < source.Length; index++)
            {
                var character = source[index];
                span[index] = char.IsAsciiDigit(character) ? (char)('\u06F0' + (character - '0')) : character;
            }
        });

    public static string Number(long value)
        => Digits(value.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ThousandsSeparator));

    public static string Rials(long amountRials) => Number(amountRials) + " ریال";

    /// <summary>Tomans are a tenth of a rial's count; a single rial left over shows as a tenth of a toman.</summary>
    public static string Tomans(long amountRials)
    {
        var tomans = Number(amountRials / RialsPerToman);
        var rest = Math.Abs(amountRials % RialsPerToman);
        return (rest == 0 ? tomans : tomans + DecimalSeparator + Digits(rest.ToString(CultureInfo.InvariantCulture))) + " تومان";
    }

    /// <summary>Kilid's 14 ASCII digits (always written by Havale itself) as "۱۴۰۸/۱۰/۱۵ ساعت ۱۲:۰۰:۰۰".</summary>
    public static string KilidDate(string yyyyMMddHHmmss)
    {
        Invariant.Holds(yyyyMMddHHmmss.Length == KilidDateTimeLength && yyyyMMddHHmmss.All(char.IsAsciiDigit));
        var text = yyyyMMddHHmmss;
        return Digits($"{text[..4]}/{text[4..6]}/{text[6..8]} ساعت {text[8..10]}:{text[10..12]}:{text[12..14]}");
    }

    public static string Instant(DateTimeOffset instantUtc) => KilidDate(Jalali.KilidDateTime(instantUtc));

    /// <summary>A date typed by a person: Persian or ASCII digits, with or without slashes, read as ASCII yyyyMMdd.</summary>
    public static string TypedDate(string text)
    {
        var ascii = new System.Text.StringBuilder(text.Length);
        foreach (var character in text.Trim())
        {
            if (character is >= '\u06F0' and <= '\u06F9')
            {
                ascii.Append((char)('0' + (character - '\u06F0')));
            }
            else if (character is >= '\u0660' and <= '\u0669')
            {
                ascii.Append((char)('0' + (character - '\u0660')));
            }
            else if (character != '/')
            {
                ascii.Append(character);
            }
        }
        return ascii.ToString();
    }

    public static string OrderStatus(string wireStatus) => wireStatus switch
    {
        "created" => "ایجاد شده، بدون امضا",
        "pending" => "در انتظار امضای دیگران",
        "signed" => "امضا شده، آماده پرداخت",
        "inprogress" => "در حال پرداخت",
        "done" => "انجام شده",
        "deleted" => "حذف شده",
        _ => throw new InvariantViolationException($"invariant failed: order status '{wireStatus}' has a Persian name"),
    };

    public static string RowState(string wireState) => wireState switch
    {
        PaymentOrders.RowStates.Ready => "آماده",
        PaymentOrders.RowStates.Wait => "در انتظار چرخه پایا",
        PaymentOrders.RowStates.Success => "موفق",
        PaymentOrders.RowStates.Failed => "ناموفق",
        _ => throw new InvariantViolationException($"invariant failed: row state '{wireState}' has a Persian name"),
    };

    public static string TransferType(string wireType) => wireType switch
    {
        "internal" => "داخلی (آینده)",
        "paya" => "پایا",
        _ => throw new InvariantViolationException($"invariant failed: transfer type '{wireType}' has a Persian name"),
    };

    public static string HistoryAction(string wireAction) => wireAction switch
    {
        "create" => "ایجاد",
        "edit" => "ویرایش",
        "sign" => "امضا",
        "unsign" => "لغو امضا",
        "pay" => "پرداخت",
        "delete" => "حذف",
        _ => throw new InvariantViolationException($"invariant failed: history action '{wireAction}' has a Persian name"),
    };
}
