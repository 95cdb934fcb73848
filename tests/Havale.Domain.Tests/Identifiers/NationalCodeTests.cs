namespace Havale.Domain.Tests.Identifiers;

public class NationalCodeTests
{
    [Theory]
    [MemberData(nameof(Vectors.ValidNationalCodes), MemberType = typeof(Vectors))]
    public void valid_national_code_from_the_vectors_is_accepted(string text)
    {
        var code = ParseAssert.Accepted<NationalCode>(NationalCode.TryParse, NationalCode.Parse, text);

        Assert.Equal(text, code.Value);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [MemberData(nameof(Vectors.InvalidNationalCodes), MemberType = typeof(Vectors))]
    public void invalid_national_code_from_the_vectors_is_refused(string text, string why) =>
        ParseAssert.RefusedForSomeReason<NationalCode>(NationalCode.TryParse, NationalCode.Parse, text, because: why);

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("001234567", "must be 10 digits")] // 9 digits
    [InlineData("00123456790", "must be 10 digits")] // 11 digits
    [InlineData("001234567a", "must be 10 digits")]
    [InlineData(" 0012345679", "must be 10 digits")]
    [InlineData("۰۰۱۲۳۴۵۶۷۹", "must be 10 digits")] // the valid 0012345679 in Persian digits
    [InlineData("0012345670", "has a wrong check digit")]
    public void malformed_national_code_is_refused_with_a_reason(string? text, string expectedError) =>
        ParseAssert.Refused<NationalCode>(NationalCode.TryParse, NationalCode.Parse, text, expectedError);

    [Fact]
    public void national_code_of_exactly_10_digits_is_accepted() =>
        Assert.Equal(NationalCode.Length, NationalCode.Parse("0012345679").Value.Length);

    // Sums worked by hand: the weights of the first nine digits are 10 down to 2.
    [Theory]
    [InlineData("0000000000", true)] // sum 0, remainder 0: check digit 0
    [InlineData("0000000061", true)] // 6*2 = 12, remainder 1: check digit 1
    [InlineData("0000000060", false)]
    [InlineData("0000000019", true)] // 1*2 = 2, remainder 2: check digit 11 - 2 = 9
    [InlineData("0000000012", false)] // remainder 2 must not be used as the check digit itself
    [InlineData("0000000051", true)] // 5*2 = 10, remainder 10: check digit 11 - 10 = 1
    [InlineData("0000000050", false)]
    public void check_digit_follows_the_mod_11_rule_in_both_branches(string text, bool isValid) =>
        Assert.Equal(isValid, NationalCode.TryParse(text, out _, out _));
}
