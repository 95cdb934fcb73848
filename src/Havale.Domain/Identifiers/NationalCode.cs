namespace Havale.Domain;

/// <summary>
/// An Iranian national code (کد ملی): ten ASCII digits whose last is a mod-11 check digit.
/// Codes of one repeated digit (1111111111) pass the check and are accepted: some
/// validators refuse them, but the shared test vectors treat them as valid.
/// </summary>
public readonly record struct NationalCode
{
    public const int Length = 10;

    internal const string ShapeError = "must be 10 digits";
    internal const string CheckDigitError = "has a wrong check digit";

    private NationalCode(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out NationalCode code, out string error) =>
        Parsing.TryParse(text, FindProblem, static valid => new NationalCode(valid), out code, out error);

    public static NationalCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    public override string ToString() => Value;

    private static string? FindProblem(string text) =>
        !AsciiDigits.IsExactly(text, Length) ? ShapeError
        : !HasValidCheckDigit(text) ? CheckDigitError
        : null;

    private static bool HasValidCheckDigit(string digits)
    {
        var sum = 0;
        for (var index = 0; index < Length - 1; index++)
        {
            sum += (digits[index] - '0') * (Length - index);
        }
        var remainder = sum % 11;
        var checkDigit = digits[Length - 1] - '0';
        return remainder < 2 ? checkDigit == remainder : checkDigit == 11 - remainder;
    }
}
