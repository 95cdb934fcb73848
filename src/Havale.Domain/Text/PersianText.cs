using System.Buffers;
using System.Globalization;
using System.Text;

namespace Havale.Domain;

/// <summary>
/// User-entered names and descriptions, which are mostly Persian. Limits such as "2 to 30
/// characters" count what a person sees as letters, so they are counted in Unicode scalar
/// values: UTF-8 bytes would cut Persian limits in half, and UTF-16 units would count an
/// emoji twice.
/// </summary>
public static class PersianText
{
    internal const string ControlCharacterError = "must not contain control characters";
    internal const string BidirectionalControlError = "must not contain bidirectional control characters";
    internal const string UnpairedSurrogateError = "must be valid Unicode text";

    /// <summary>
    /// Trims, then refuses rather than strips what it cannot accept, so that the stored text
    /// is exactly what the caller sees echoed back. Bidirectional embedding, override and
    /// isolate controls are refused because they can make a name display as another name.
    /// The zero-width non-joiner (U+200C) is allowed: Persian spelling needs it
    /// (می‌روم, سرمایه‌گذاری).
    /// </summary>
    public static bool TryNormalize(string? text, int charsMin, int charsMax, out string normalized, out string error)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charsMin);
        ArgumentOutOfRangeException.ThrowIfLessThan(charsMax, charsMin);

        var trimmed = (text ?? "").Trim();
        var problem = trimmed.Length == 0 && charsMin > 0
            ? Parsing.Required
            : FindCharacterProblem(trimmed) ?? FindLengthProblem(CountChars(trimmed), charsMin, charsMax);
        normalized = problem is null ? trimmed : "";
        error = problem ?? "";
        return problem is null;
    }

    /// <summary>
    /// Counts Unicode scalar values. An unpaired surrogate counts as one character, as the
    /// replacement character it would be shown as.
    /// </summary>
    public static int CountChars(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            chars++;
        }
        return chars;
    }

    private static string? FindCharacterProblem(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out var rune, out var consumed) != OperationStatus.Done)
            {
                return UnpairedSurrogateError;
            }
            // Unicode category Cc: exactly the C0 controls, DEL and the C1 controls.
            if (Rune.IsControl(rune))
            {
                return ControlCharacterError;
            }
            if (IsBidirectionalControl(rune))
            {
                return BidirectionalControlError;
            }
            text = text[consumed..];
        }
        return null;
    }

    private static string? FindLengthProblem(int chars, int charsMin, int charsMax) =>
        chars < charsMin ? string.Create(CultureInfo.InvariantCulture, $"must be at least {charsMin} characters")
        : chars > charsMax ? string.Create(CultureInfo.InvariantCulture, $"must be at most {charsMax} characters")
        : null;

    private static bool IsBidirectionalControl(Rune rune) =>
        rune.Value is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
