namespace Havale.Domain.Tests.Identifiers;

public class IbanTests
{
    private const string MellatIban = "IR370120000000003141592653";
    private const string ShapeError = "must be 26 characters: IR followed by 24 digits";
    private const string CheckDigitsError = "has wrong check digits";

    [Theory]
    [MemberData(nameof(Vectors.ValidIbans), MemberType = typeof(Vectors))]
    public void valid_iban_from_the_vectors_parses_with_its_bank_code(string text, string bankCode)
    {
        var iban = ParseAssert.Accepted<Iban>(Iban.TryParse, Iban.Parse, text);

        Assert.Equal(text, iban.Value);
        Assert.Equal(text, iban.ToString());
        Assert.Equal(bankCode, iban.BankCode);
        Assert.Equal(bankCode == "062", iban.IsHostBank);
    }

    [Theory]
    [MemberData(nameof(Vectors.HostDepositIbans), MemberType = typeof(Vectors))]
    public void host_deposit_and_its_iban_convert_into_each_other(string depositText, string ibanText)
    {
        var deposit = DepositNumber.Parse(depositText);
        var iban = Iban.Parse(ibanText);

        Assert.Equal(iban, deposit.ToIban());
        Assert.Equal(iban, Iban.ForHostDeposit(deposit));
        Assert.True(iban.IsHostBank);
        Assert.Equal(deposit, iban.HostDeposit);
    }

    [Theory]
    [MemberData(nameof(Vectors.InvalidIbans), MemberType = typeof(Vectors))]
    public void invalid_iban_from_the_vectors_is_refused(string text, string why) =>
        ParseAssert.RefusedForSomeReason<Iban>(Iban.TryParse, Iban.Parse, text, because: why);

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("IR37012000000000314159265", ShapeError)] // 25 characters
    [InlineData("IR3701200000000031415926530", ShapeError)] // 27 characters
    [InlineData(" IR370120000000003141592653", ShapeError)]
    [InlineData("IR370120000000003141592653 ", ShapeError)]
    [InlineData("IR37012000000000314159265 ", ShapeError)]
    [InlineData("ir370120000000003141592653", "must start with upper-case IR")]
    [InlineData("Ir370120000000003141592653", ShapeError)]
    [InlineData("DE370120000000003141592653", ShapeError)]
    [InlineData("IR37012000000000314159265A", ShapeError)]
    [InlineData("IR3701200000000031415926۵3", ShapeError)] // a Persian digit
    [InlineData("IR370120000000003141592654", CheckDigitsError)]
    [InlineData("IR380120000000003141592653", CheckDigitsError)]
    [InlineData("IR370210000000003141592653", CheckDigitsError)] // two digits swapped
    public void malformed_iban_is_refused_with_a_reason(string? text, string expectedError) =>
        ParseAssert.Refused<Iban>(Iban.TryParse, Iban.Parse, text, expectedError);

    [Fact]
    public void iban_of_exactly_26_characters_is_accepted() =>
        Assert.Equal(Iban.Length, Iban.Parse(MellatIban).Value.Length);

    [Fact]
    public void check_digits_01_are_refused_even_though_they_pass_mod_97_like_98()
    {
        Iban.Parse("IR980570000000003141597483");

        ParseAssert.Refused<Iban>(Iban.TryParse, Iban.Parse, "IR010570000000003141597483", CheckDigitsError);
    }

    [Fact]
    public void host_bank_iban_with_digits_in_the_padding_has_no_host_deposit()
    {
        var iban = Iban.Parse("IR580621000000201648361007");

        Assert.True(iban.IsHostBank);
        Assert.Null(iban.HostDeposit);
    }

    [Fact]
    public void host_bank_iban_of_deposit_one_has_a_host_deposit_with_leading_zeros()
    {
        var iban = Iban.Parse("IR820620000000000000000001");

        Assert.Equal(DepositNumber.Parse("0000000000001"), iban.HostDeposit);
    }

    [Fact]
    public void other_bank_iban_has_no_host_deposit_even_when_it_looks_like_one()
    {
        var iban = Iban.Parse(MellatIban);

        Assert.False(iban.IsHostBank);
        Assert.Null(iban.HostDeposit);
    }

    [Fact]
    public void ibans_with_the_same_value_are_equal() =>
        Assert.Equal(Iban.Parse(MellatIban), Iban.Parse(new string(MellatIban.AsSpan())));
}
