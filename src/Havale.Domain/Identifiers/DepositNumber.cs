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

    public static bool TryParse(string? text, out DepositNumber deposit, out string error) =>
        Parsing.TryParse(text, FindProblem, static valid => new DepositNumber(valid), out deposit, out error);

    public static DepositNumber Parse(string text) =>
        TryParse(text, out var deposit, out var error) ? deposit : throw new FormatException(error);

    public override string ToString() => Value;

    private static string? FindProblem(string text) => AsciiDigits.IsExactly(text, Length) ? null : ShapeError;
}
