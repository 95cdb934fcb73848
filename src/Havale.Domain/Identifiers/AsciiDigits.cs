namespace Havale.Domain;

/// <summary>
/// Identifiers on the wire use ASCII digits only. <see cref="char.IsDigit(char)"/> is not used
/// because it also accepts Persian, Arabic-Indic and other Unicode digits, which would let two
/// different strings name the same account.
/// </summary>
internal static class AsciiDigits
{
    public static bool AreAll(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    /// <summary>True when <paramref name="text"/> is exactly <paramref name="length"/> ASCII digits.</summary>
    public static bool IsExactly(string text, int length) => text.Length == length && AreAll(text);
}
