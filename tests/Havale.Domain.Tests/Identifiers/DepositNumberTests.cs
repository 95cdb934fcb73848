namespace Havale.Domain.Tests.Identifiers;

public class DepositNumberTests
{
    private const string ShapeError = "must be 13 digits";

    [Theory]
    [InlineData("0302876732315")]
    [InlineData("0000000000000")]
    [InlineData("9999999999999")]
    public void thirteen_digits_are_a_deposit_number(string text)
    {
        var deposit = ParseAssert.Accepted<DepositNumber>(DepositNumber.TryParse, DepositNumber.Parse, text);

        Assert.Equal(text, deposit.Value);
        Assert.Equal(text, deposit.ToString());
        Assert.Equal(DepositNumber.Length, deposit.Value.Length);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("030287673231", ShapeError)] // 12 digits
    [InlineData("03028767323150", ShapeError)] // 14 digits
    [InlineData("030287673231A", ShapeError)]
    [InlineData(" 0302876732315", ShapeError)]
    [InlineData("0302876732315 ", ShapeError)]
    [InlineData("030287673231۵", ShapeError)] // a Persian digit
    [InlineData("-302876732315", ShapeError)]
    public void malformed_deposit_number_is_refused(string? text, string expectedError) =>
        ParseAssert.Refused<DepositNumber>(DepositNumber.TryParse, DepositNumber.Parse, text, expectedError);

    [Fact]
    public void deposit_number_iban_parses_back_to_the_same_deposit()
    {
        var deposit = DepositNumber.Parse("1234567890123");

        var iban = Iban.Parse(deposit.ToIban().Value);

        Assert.Equal(deposit, iban.HostDeposit);
        Assert.Equal("062", iban.BankCode);
    }
}
