namespace Havale.Domain.Tests;

public delegate bool TryParser<T>(string? text, out T value, out string error);

/// <summary>
/// Every parser promises the same pair of behaviours: TryParse refuses with a message, and
/// Parse throws a FormatException carrying that same message. One assertion keeps both honest.
/// </summary>
public static class ParseAssert
{
    public static void Refused<T>(TryParser<T> tryParse, Func<string, T> parse, string? text, string expectedError) =>
        Assert.Equal(expectedError, RefusedForSomeReason(tryParse, parse, text, because: expectedError));

    /// <summary>For vectors that say why a value is invalid but not in Havale's words.</summary>
    public static string RefusedForSomeReason<T>(TryParser<T> tryParse, Func<string, T> parse, string? text, string because)
    {
        Assert.False(tryParse(text, out var value, out var error), because);
        Assert.Equal(default, value);
        Assert.NotEmpty(error);
        if (text is not null)
        {
            var exception = Assert.Throws<FormatException>(() => parse(text));
            Assert.Equal(error, exception.Message);
        }
        return error;
    }

    public static T Accepted<T>(TryParser<T> tryParse, Func<string, T> parse, string text)
    {
        Assert.True(tryParse(text, out var value, out var error), error);
        Assert.Equal("", error);
        Assert.Equal(value, parse(text));
        return value;
    }
}
