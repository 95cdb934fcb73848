using System.Globalization;

namespace Havale.Domain;

/// <summary>
/// A positive whole amount of Iranian rials. Amounts are never <c>decimal</c> or <c>double</c>:
/// a fraction of a rial does not exist, and a float would round money silently.
/// </summary>
/// <remarks>
/// <c>default(Rials)</c> is zero and therefore not a valid amount; every value made through
/// <see cref="TryCreate"/>, <see cref="TryParse"/> or <see cref="Parse"/> is.
/// </remarks>
public readonly record struct Rials : IComparable<Rials>
{
    public const long MaxAmountRials = 1_000_000_000_000_000_000;

    // MaxAmountRials has 19 digits; a 19-digit number always fits in an unsigned long, so the
    // digit count is the only overflow guard parsing needs before the range check.
    private const int MaxDigits = 19;

    internal const string NotPositiveError = "must be greater than zero";
    internal const string TooLargeError = "must be at most 1000000000000000000 rials";
    internal const string NotWholeNumberError = "must be a whole number of rials written with digits only";

    private Rials(long amountRials) => AmountRials = amountRials;

    public long AmountRials { get; }

    public static bool TryCreate(long amountRials, out Rials rials, out string error)
    {
        rials = default;
        if (amountRials <= 0)
        {
            error = NotPositiveError;
            return false;
        }
        if (amountRials > MaxAmountRials)
        {
            error = TooLargeError;
            return false;
        }
        rials = new Rials(amountRials);
        error = "";
        return true;
    }

    /// <summary>
    /// Accepts ASCII, Persian (۰-۹) and Arabic-Indic (٠-٩) digits, because Persian keyboards
    /// and some banking front ends send those; anything else (sign, decimal point, exponent,
    /// group separator, white space) is refused rather than guessed at.
    /// </summary>
    public static bool TryParse(string? text, out Rials rials, out string error)
    {
        rials = default;
        if (string.IsNullOrEmpty(text))
        {
            error = ParseErrors.Required;
            return false;
        }
        // Every character is checked before the length, so that "12345678901234567890.5"
        // is reported as not a number rather than as too large.
        foreach (var character in text)
        {
            if (!TryDigitValue(character, out _))
            {
                error = NotWholeNumberError;
                return false;
            }
        }
        if (text.Length > MaxDigits)
        {
            error = TooLargeError;
            return false;
        }
        ulong amount = 0;
        foreach (var character in text)
        {
            TryDigitValue(character, out var digit);
            amount = amount * 10 + (ulong)digit;
        }
        if (amount > MaxAmountRials)
        {
            error = TooLargeError;
            return false;
        }
        return TryCreate((long)amount, out rials, out error);
    }

    public static Rials Parse(string text) =>
        TryParse(text, out var rials, out var error) ? rials : throw new FormatException(error);

    /// <summary>
    /// Throws <see cref="OverflowException"/> when the sum passes <see cref="MaxAmountRials"/>,
    /// so that no <see cref="Rials"/> ever holds an amount its own parser would refuse.
    /// </summary>
    public static Rials operator +(Rials a, Rials b)
    {
        var sum = checked(a.AmountRials + b.AmountRials);
        return sum > MaxAmountRials
            ? throw new OverflowException($"the sum of two amounts passes {MaxAmountRials} rials")
            : new Rials(sum);
    }

    public static bool operator <(Rials left, Rials right) => left.AmountRials < right.AmountRials;

    public static bool operator >(Rials left, Rials right) => left.AmountRials > right.AmountRials;

    public static bool operator <=(Rials left, Rials right) => left.AmountRials <= right.AmountRials;

    public static bool operator >=(Rials left, Rials right) => left.AmountRials >= right.AmountRials;

    public int CompareTo(Rials other) => AmountRials.CompareTo(other.AmountRials);

    public override string ToString() => AmountRials.ToString(CultureInfo.InvariantCulture);

    private static bool TryDigitValue(char character, out int digit)
    {
        digit = character switch
        {
            >= '0' and <= '9' => character - '0',
            >= '\u06F0' and <= '\u06F9' => character - '\u06F0', // Extended Arabic-Indic (Persian)
            >= '\u0660' and <= '\u0669' => character - '\u0660', // Arabic-Indic
            _ => -1,
        };
        return digit >= 0;
    }
}
