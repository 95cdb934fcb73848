namespace Havale.Domain;

/// <summary>
/// A deposit (account) number at the host bank: exactly 13 ASCII digits, leading zeros
/// significant. The same account can also arrive as an IBAN; compare through
/// <see cref="ToIban"/> or <see cref="Iban.HostDeposit"/>, never as strings.
/// </summary>
public readonly record struct DepositNumber
{
    public const int Length = 13;

    internal const string ShapeError = "must be 13 digits";

    private DepositNumber(string value) => Value = value;

    public string Value { get; }

    public Iban ToIban() => Iban.ForHostDeposit(this);

    public static bool TryParse(string? text, out DepositNumber deposit, out string error)
    {
        deposit = default;
        if (string.IsNullOrEmpty(text))
        {
            error = ParseErrors.Required;
            return false;
        }
        if (!AsciiDigits.IsExactly(text, Length))
        {
            error = ShapeError;
            return false;
        }
        deposit = new DepositNumber(text);
        error = "";
        return true;
    }

    public static DepositNumber Parse(string text) =>
        TryParse(text, out var deposit, out var error) ? deposit : throw new FormatException(error);

    public override string ToString() => Value;
}
