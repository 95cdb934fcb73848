namespace Havale.Domain.Tests;

public delegate bool TryParser<T>(string? text, out T value, out string error);

/// <summary>
/// Every parser promises the same pair of behaviours: TryParse refuses with a message, and
/// Parse throws a FormatException carrying that same message. One assertion keeps both honest.
/// </summary>
public static class ParseAssert
{
    public static void Refused<T>(TryParser<T> tryParse, Func<string, T> parse, string? text, string expectedError)
    {
        Assert.False(tryParse(text, out var value, out var error));
        Assert.Equal(default, value);
        Assert.Equal(expectedError, error);
        if (text is not null)
        {
            var exception = Assert.Throws<FormatException>(() => parse(text));
            Assert.Equal(expectedError, exception.Message);
        }
    }

    public static T Accepted<T>(TryParser<T> tryParse, Func<string, T> parse, string text)
    {
        Assert.True(tryParse(text, out var value, out var error), error);
        Assert.Equal("", error);
        Assert.Equal(value, parse(text));
        return value;
    }
}
