namespace Havale.Domain.Tests.Money;

public class RialsTests
{
    private const string NotWholeNumber = "must be a whole number of rials written with digits only";
    private const string NotPositive = "must be greater than zero";
    private const string TooLarge = "must be at most 1000000000000000000 rials";

    [Theory]
    [InlineData(1L)]
    [InlineData(12_000L)]
    [InlineData(Rials.AmountRialsMax)]
    public void positive_amount_up_to_the_maximum_is_created(long amountRials)
    {
        Assert.True(Rials.TryCreate(amountRials, out var rials, out var error));
        Assert.Equal("", error);
        Assert.Equal(amountRials, rials.AmountRials);
    }

    [Theory]
    [InlineData(0L, NotPositive)]
    [InlineData(-1L, NotPositive)]
    [InlineData(long.MinValue, NotPositive)]
    [InlineData(Rials.AmountRialsMax + 1, TooLarge)]
    [InlineData(long.MaxValue, TooLarge)]
    public void amount_outside_the_range_is_not_created(long amountRials, string expectedError)
    {
        Assert.False(Rials.TryCreate(amountRials, out var rials, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal(default, rials);
    }

    [Theory]
    [InlineData("1", 1L)]
    [InlineData("12000", 12_000L)]
    [InlineData("0012000", 12_000L)]
    [InlineData("1000000000000000000", Rials.AmountRialsMax)]
    [InlineData("۱۲۰۰۰", 12_000L)] // Persian digits
    [InlineData("١٢٠٠٠", 12_000L)] // Arabic-Indic digits
    [InlineData("۱2٠0۰", 12_000L)] // a mixture, as a pasted value can be
    public void digits_are_read_as_an_amount(string text, long expectedAmountRials)
    {
        var rials = ParseAssert.Accepted<Rials>(Rials.TryParse, Rials.Parse, text);

        Assert.Equal(expectedAmountRials, rials.AmountRials);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("0", NotPositive)]
    [InlineData("000", NotPositive)]
    [InlineData("1000000000000000001", TooLarge)] // AmountRialsMax + 1
    [InlineData("9223372036854775807", TooLarge)] // long.MaxValue
    [InlineData("9999999999999999999", TooLarge)] // the largest 19 digits, beyond long
    [InlineData("12345678901234567890", TooLarge)] // 20 digits
    [InlineData("00000000000000000001", TooLarge)] // 20 digits, even with a small value
    [InlineData("1.5", NotWholeNumber)]
    [InlineData("12000.0", NotWholeNumber)]
    [InlineData("-5", NotWholeNumber)]
    [InlineData("+5", NotWholeNumber)]
    [InlineData("1e3", NotWholeNumber)]
    [InlineData(" 5", NotWholeNumber)]
    [InlineData("5 ", NotWholeNumber)]
    [InlineData("12,000", NotWholeNumber)]
    [InlineData("12٬000", NotWholeNumber)] // the Arabic thousands separator
    [InlineData("0x10", NotWholeNumber)]
    [InlineData("12345678901234567890.5", NotWholeNumber)]
    public void anything_but_a_positive_whole_number_is_refused(string? text, string expectedError) =>
        ParseAssert.Refused<Rials>(Rials.TryParse, Rials.Parse, text, expectedError);

    [Fact]
    public void sum_adds_the_amounts() =>
        Assert.Equal(Rials.Parse("12500"), Rials.Parse("12000") + Rials.Parse("500"));

    [Fact]
    public void sum_of_exactly_the_maximum_is_allowed() =>
        Assert.Equal(Rials.AmountRialsMax, (Rials.Parse("999999999999999999") + Rials.Parse("1")).AmountRials);

    [Fact]
    public void sum_beyond_the_maximum_throws_rather_than_holding_an_amount_the_parser_refuses() =>
        Assert.Throws<OverflowException>(() => Rials.Parse("1000000000000000000") + Rials.Parse("1"));

    [Fact]
    public void amounts_compare_by_value()
    {
        var small = Rials.Parse("5");
        var large = Rials.Parse("10");

        Assert.True(small.CompareTo(large) < 0);
        Assert.True(large.CompareTo(small) > 0);
        Assert.Equal(0, small.CompareTo(Rials.Parse("5")));
        Assert.True(small < large);
        Assert.True(large > small);
        Assert.True(small <= Rials.Parse("5"));
        Assert.True(large >= Rials.Parse("10"));
        Assert.Equal([small, large], new[] { large, small }.Order());
    }

    [Fact]
    public void amount_is_written_in_ascii_digits() =>
        Assert.Equal("12000", Rials.Parse("۱۲۰۰۰").ToString());
}
