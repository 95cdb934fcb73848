using System.Globalization;

namespace Havale.Domain;

/// <summary>
/// An Iranian IBAN (شبا): <c>IR</c>, two ISO 13616 check digits, a three-digit bank code and a
/// nineteen-digit account field.
/// </summary>
/// <remarks>
/// Parsing is strict on purpose. A lower-case <c>ir</c> prefix and surrounding white space are
/// refused rather than normalised, because the API echoes the caller's value back
/// (<c>destinationIban</c>) and the same account must not arrive in two spellings that a
/// string comparison or an idempotency check would then treat as different requests.
/// Only equality of <see cref="Value"/> is compared; the other properties derive from it.
/// </remarks>
public readonly record struct Iban
{
    public const int Length = 26;

    private const string CountryCode = "IR";
    // "IR" with each letter replaced by its ISO 13616 number (A = 10 ... Z = 35): I = 18, R = 27.
    private const string CountryCodeDigits = "1827";
    private const int CheckDigitsStart = 2;
    private const int BankCodeStart = 4;
    /// <summary>A bank's code: the three digits after the check digits.</summary>
    public const int BankCodeLength = 3;
    private const int AccountFieldStart = BankCodeStart + BankCodeLength;
    private const int AccountFieldLength = Length - AccountFieldStart;
    // A host-bank deposit sits in the account field left-padded with zeros.
    private const int HostDepositPaddingLength = AccountFieldLength - DepositNumber.Length;
    // ISO 13616 allows only 02..98: 00, 01 and 99 can pass the mod-97 test by accident
    // (98 and 01 leave the same remainder) but are never issued.
    private const int CheckDigitsMin = 2;
    private const int CheckDigitsMax = 98;

    internal const string ShapeError = "must be 26 characters: IR followed by 24 digits";
    internal const string LowerCaseCountryError = "must start with upper-case IR";
    internal const string CheckDigitsError = "has wrong check digits";

    private Iban(string value) => Value = value;

    public string Value { get; }

    public string BankCode => Value.Substring(BankCodeStart, BankCodeLength);

    public bool IsHostBank => BankCode == Banks.HostBankCode;

    public DepositNumber? HostDeposit
    {
        get
        {
            if (!IsHostBank)
            {
                return null;
            }
            var accountField = Value.AsSpan(AccountFieldStart);
            return accountField[..HostDepositPaddingLength].ContainsAnyExcept('0')
                ? null
                : DepositNumber.Parse(accountField[HostDepositPaddingLength..].ToString());
        }
    }

    public static bool TryParse(string? text, out Iban iban, out string error) =>
        Parsing.TryParse(text, FindProblem, static valid => new Iban(valid), out iban, out error);

    public static Iban Parse(string text) =>
        TryParse(text, out var iban, out var error) ? iban : throw new FormatException(error);

    public static Iban ForHostDeposit(DepositNumber deposit)
    {
        Invariant.Holds(deposit.Value is not null);
        var basicBankAccountNumber = Banks.HostBankCode + deposit.Value.PadLeft(AccountFieldLength, '0');
        // ISO 13616: with "00" in place of the check digits, the check digits are 98 minus the remainder.
        var checkDigits = 98 - Mod97(basicBankAccountNumber, "00");
        var iban = new Iban(CountryCode + checkDigits.ToString("D2", CultureInfo.InvariantCulture) + basicBankAccountNumber);
        Invariant.Holds(Mod97(iban.Value.AsSpan(BankCodeStart), iban.Value.AsSpan(CheckDigitsStart, 2)) == 1);
        return iban;
    }

    public override string ToString() => Value;

    private static string? FindProblem(string text)
    {
        if (text.Length == Length && text.StartsWith("ir", StringComparison.Ordinal))
        {
            return LowerCaseCountryError;
        }
        if (text.Length != Length
            || !text.StartsWith(CountryCode, StringComparison.Ordinal)
            || !AsciiDigits.AreAll(text.AsSpan(CheckDigitsStart)))
        {
            return ShapeError;
        }
        var checkDigits = int.Parse(text.AsSpan(CheckDigitsStart, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var hasValidCheckDigits = checkDigits is >= CheckDigitsMin and <= CheckDigitsMax
            && Mod97(text.AsSpan(BankCodeStart), text.AsSpan(CheckDigitsStart, 2)) == 1;
        return hasValidCheckDigits ? null : CheckDigitsError;
    }

    /// <summary>
    /// The ISO 13616 remainder of the rearranged IBAN (account digits, country digits, check
    /// digits), folded one digit at a time so that 26-digit numbers never need big integers.
    /// </summary>
    private static int Mod97(ReadOnlySpan<char> basicBankAccountNumber, ReadOnlySpan<char> checkDigits)
    {
        var remainder = 0;
        remainder = Fold(remainder, basicBankAccountNumber);
        remainder = Fold(remainder, CountryCodeDigits);
        return Fold(remainder, checkDigits);

        static int Fold(int remainder, ReadOnlySpan<char> digits)
        {
            foreach (var digit in digits)
            {
                remainder = (remainder * 10 + (digit - '0')) % 97;
            }
            return remainder;
        }
    }
}
