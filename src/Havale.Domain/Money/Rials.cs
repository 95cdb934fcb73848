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
    public const long AmountRialsMax = 1_000_000_000_000_000_000;

    // AmountRialsMax has 19 digits; a 19-digit number always fits in an unsigned long, so the
    // digit count is the only overflow guard parsing needs before the range check.
    private const int DigitsMax = 19;

    internal const string NotPositiveError = "must be greater than zero";
    internal const string TooLargeError = "must be at most 1000000000000000000 rials";
    internal const string NotWholeNumberError = "must be a whole number of rials written with digits only";

    private Rials(long amountRials) => AmountRials = amountRials;

    public long AmountRials { get; }

    public static bool TryCreate(long amountRials, out Rials rials, out string error) =>
        Parsing.Conclude(FindAmountProblem(amountRials), amountRials, static valid => new Rials(valid), out rials, out error);

    /// <summary>
    /// Accepts ASCII, Persian (۰-۹) and Arabic-Indic (٠-٩) digits, because Persian keyboards
    /// and some banking front ends send those; anything else (sign, decimal point, exponent,
    /// group separator, white space) is refused rather than guessed at.
    /// </summary>
    public static bool TryParse(string? text, out Rials rials, out string error) =>
        Parsing.TryParse(text, FindTextProblem, static valid => new Rials((long)DigitsValue(valid)), out rials, out error);

    /// <summary>For amounts already known to be valid (read back from the ledger); a bad one is a programming error.</summary>
    public static Rials FromTrusted(long amountRials) =>
        TryCreate(amountRials, out var rials, out var error) ? rials : throw new ArgumentOutOfRangeException(nameof(amountRials), error);

    public static Rials Parse(string text) =>
        TryParse(text, out var rials, out var error) ? rials : throw new FormatException(error);

    /// <summary>
    /// Throws <see cref="OverflowException"/> when the sum passes <see cref="AmountRialsMax"/>,
    /// so that no <see cref="Rials"/> ever holds an amount its own parser would refuse.
    /// </summary>
    public static Rials operator +(Rials a, Rials b)
    {
        var sum = checked(a.AmountRials + b.AmountRials);
        return sum > AmountRialsMax
            ? throw new OverflowException($"the sum of two amounts passes {AmountRialsMax} rials")
            : new Rials(sum);
    }

    public static bool operator <(Rials left, Rials right) => left.AmountRials < right.AmountRials;

    public static bool operator >(Rials left, Rials right) => left.AmountRials > right.AmountRials;

    public static bool operator <=(Rials left, Rials right) => left.AmountRials <= right.AmountRials;

    public static bool operator >=(Rials left, Rials right) => left.AmountRials >= right.AmountRials;

    public int CompareTo(Rials other) => AmountRials.CompareTo(other.AmountRials);

    public override string ToString() => AmountRials.ToString(CultureInfo.InvariantCulture);

    private static string? FindAmountProblem(long amountRials) =>
        amountRials <= 0 ? NotPositiveError
        : amountRials > AmountRialsMax ? TooLargeError
        : null;

    private static string? FindTextProblem(string text)
    {
        // Every character is checked before the length, so that "12345678901234567890.5"
        // is reported as not a number rather than as too large.
        foreach (var character in text)
        {
            if (DigitValue(character) < 0)
            {
                return NotWholeNumberError;
            }
        }
        if (text.Length > DigitsMax)
        {
            return TooLargeError;
        }
        var amount = DigitsValue(text);
        return amount > AmountRialsMax ? TooLargeError : FindAmountProblem((long)amount);
    }

    /// <summary>The value of at most <see cref="DigitsMax"/> digits that <see cref="FindTextProblem"/> accepted.</summary>
    private static ulong DigitsValue(string digits)
    {
        ulong amount = 0;
        foreach (var character in digits)
        {
            amount = amount * 10 + (ulong)DigitValue(character);
        }
        return amount;
    }

    /// <summary>The digit's value, or -1 for anything that is not a digit Havale reads.</summary>
    private static int DigitValue(char character) => character switch
    {
        >= '0' and <= '9' => character - '0',
        >= '\u06F0' and <= '\u06F9' => character - '\u06F0', // Extended Arabic-Indic (Persian)
        >= '\u0660' and <= '\u0669' => character - '\u0660', // Arabic-Indic
        _ => -1,
    };
}
