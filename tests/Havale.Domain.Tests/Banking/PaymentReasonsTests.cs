namespace Havale.Domain.Tests.Banking;

public class PaymentReasonsTests
{
    [Fact]
    public void there_are_19_reasons_with_the_central_bank_codes_in_order()
    {
        string[] centralBankCodes =
        [
            "POSA", "IOSP", "HIPA", "ISAP", "FXAP", "DRPA", "RTAP", "MPTP", "IMPT", "LMAP",
            "CDAP", "TCAP", "GEAC", "LRPA", "CCPA", "GPAC", "CPAC", "GPPC", "SPAC",
        ];

        Assert.Equal(19, PaymentReasons.All.Count);
        Assert.Equal(Enumerable.Range(1, 19).Select(number => number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            PaymentReasons.All.Select(reason => reason.Code));
        Assert.Equal(centralBankCodes, PaymentReasons.All.Select(reason => reason.CentralBankCode));
    }

    [Theory]
    [InlineData("1", "POSA", "Salary")]
    [InlineData("10", "LMAP", "Liquidity management")]
    [InlineData("19", "SPAC", "Services")]
    public void reason_code_parses_to_its_reason(string code, string centralBankCode, string englishName)
    {
        Assert.True(PaymentReasons.TryParse(code, out var reason, out var error));
        Assert.Equal("", error);
        Assert.Equal(centralBankCode, reason.CentralBankCode);
        Assert.Equal(englishName, reason.EnglishName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("20")]
    [InlineData("01")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("-1")]
    [InlineData("۱")]
    [InlineData("POSA")]
    public void anything_but_1_to_19_is_refused(string? code)
    {
        Assert.False(PaymentReasons.TryParse(code, out var reason, out var error));
        Assert.Null(reason);
        Assert.Equal("must be a payment reason code from 1 to 19", error);
    }

    [Fact]
    public void every_reason_has_an_english_and_a_persian_name() =>
        Assert.All(PaymentReasons.All, reason =>
        {
            Assert.Matches("^[A-Z][a-z ]+$", reason.EnglishName);
            Assert.Matches("^[\u0600-\u06FF\u200C ]+$", reason.PersianName);
        });
}
