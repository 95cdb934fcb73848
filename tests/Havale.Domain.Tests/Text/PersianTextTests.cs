using System.Text;

namespace Havale.Domain.Tests.Text;

public class PersianTextTests
{
    private const int CharsMin = 2;
    private const int CharsMax = 30;
    private const string ControlError = "must not contain control characters";
    private const string BidirectionalError = "must not contain bidirectional control characters";

    private static bool Normalize(string? text, out string normalized, out string error) =>
        PersianText.TryNormalize(text, CharsMin, CharsMax, out normalized, out error);

    private static string PersianOfLength(int chars) => string.Concat(Enumerable.Repeat("ب", chars));

    [Theory]
    [InlineData(CharsMin)]
    [InlineData(CharsMax)]
    public void persian_text_at_the_limits_is_accepted(int chars)
    {
        var text = PersianOfLength(chars);

        Assert.True(Normalize(text, out var normalized, out var error), error);
        Assert.Equal(text, normalized);
    }

    [Theory]
    [InlineData(CharsMin - 1, "must be at least 2 characters")]
    [InlineData(CharsMax + 1, "must be at most 30 characters")]
    public void persian_text_one_past_the_limits_is_refused(int chars, string expectedError)
    {
        Assert.False(Normalize(PersianOfLength(chars), out var normalized, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal("", normalized);
    }

    [Fact]
    public void limit_counts_characters_not_utf8_bytes()
    {
        var text = PersianOfLength(CharsMax);
        Assert.True(Encoding.UTF8.GetByteCount(text) > CharsMax);

        Assert.True(Normalize(text, out _, out _));
    }

    [Fact]
    public void limit_counts_characters_not_utf16_units()
    {
        // Each emoji is one character but two UTF-16 units: 30 characters, 45 units.
        var text = string.Concat(Enumerable.Repeat("ب😀", CharsMax / 2));
        Assert.Equal(45, text.Length);

        Assert.True(Normalize(text, out _, out var error), error);
        Assert.Equal(CharsMax, PersianText.CountChars(text));
    }

    [Fact]
    public void surrounding_white_space_is_trimmed_before_counting()
    {
        var text = "  \t" + PersianOfLength(CharsMax) + " \n";

        Assert.True(Normalize(text, out var normalized, out _));
        Assert.Equal(PersianOfLength(CharsMax), normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void missing_text_is_required_when_there_is_a_minimum(string? text)
    {
        Assert.False(Normalize(text, out _, out var error));
        Assert.Equal("is required", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void missing_text_is_empty_when_there_is_no_minimum(string? text)
    {
        Assert.True(PersianText.TryNormalize(text, 0, CharsMax, out var normalized, out _));
        Assert.Equal("", normalized);
    }

    [Fact]
    public void zero_width_non_joiner_is_allowed_inside_a_word()
    {
        const string text = "سرمایه\u200Cگذاری";

        Assert.True(Normalize(text, out var normalized, out var error), error);
        Assert.Equal(text, normalized);
    }

    [Theory]
    [InlineData('\u202A')] // left-to-right embedding
    [InlineData('\u202B')] // right-to-left embedding
    [InlineData('\u202C')] // pop directional formatting
    [InlineData('\u202D')] // left-to-right override
    [InlineData('\u202E')] // right-to-left override
    [InlineData('\u2066')] // left-to-right isolate
    [InlineData('\u2067')] // right-to-left isolate
    [InlineData('\u2068')] // first strong isolate
    [InlineData('\u2069')] // pop directional isolate
    public void bidirectional_control_is_refused(char control)
    {
        Assert.False(Normalize("علی" + control + "رضا", out _, out var error));
        Assert.Equal(BidirectionalError, error);
    }

    [Theory]
    [InlineData('\u0000')]
    [InlineData('\u0001')]
    [InlineData('\u0009')] // a tab inside the text, where trimming does not reach
    [InlineData('\u000A')]
    [InlineData('\u001B')]
    [InlineData('\u001F')]
    [InlineData('\u007F')]
    [InlineData('\u0080')]
    [InlineData('\u0085')]
    [InlineData('\u009F')]
    public void control_character_is_refused(char control)
    {
        Assert.False(Normalize("علی" + control + "رضا", out _, out var error));
        Assert.Equal(ControlError, error);
    }

    [Theory]
    [InlineData('\u0020')] // space
    [InlineData('\u00A0')] // first character after the C1 controls
    [InlineData('\u200C')] // zero-width non-joiner
    [InlineData('\u2029')] // just before the embedding controls
    [InlineData('\u202F')] // just after the override controls
    [InlineData('\u2065')] // just before the isolates
    [InlineData('\u206A')] // just after the isolates
    public void character_next_to_a_refused_range_is_allowed(char neighbour) =>
        Assert.True(Normalize("علی" + neighbour + "رضا", out _, out _));

    // Built in code: xUnit's test-case serialisation would turn a lone surrogate in
    // InlineData into U+FFFD before the test saw it.
    [Theory]
    [InlineData(new[] { 0xD800 })] // high surrogate alone
    [InlineData(new[] { 0xDC00 })] // low surrogate alone
    [InlineData(new[] { 0xDE00, 0xD83D })] // a pair in the wrong order
    public void lone_surrogate_is_refused(int[] codeUnits)
    {
        var text = "علی" + new string(codeUnits.Select(unit => (char)unit).ToArray()) + "رضا";

        Assert.False(Normalize(text, out _, out var error));
        Assert.Equal("must be valid Unicode text", error);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("علی", 3)]
    [InlineData("می\u200Cروم", 6)] // the non-joiner is a character of its own
    [InlineData("😀", 1)]
    [InlineData("abc", 3)]
    public void characters_are_unicode_scalar_values(string text, int expectedChars) =>
        Assert.Equal(expectedChars, PersianText.CountChars(text));

    [Fact]
    public void limits_that_make_no_sense_are_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PersianText.TryNormalize("x", -1, 5, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => PersianText.TryNormalize("x", 5, 4, out _, out _));
    }
}
