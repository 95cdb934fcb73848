namespace Havale.Domain.Tests.Banking;

public class DestinationAccountTests
{
    private const string HostDeposit = "0201648361007";
    // The same deposit inside a host-bank (062) IBAN, and one whose padding holds a non-zero digit.
    private const string HostDepositIban = "IR360620000000201648361007";
    private const string HostIbanWithoutDeposit = "IR190620000010201648361007";
    private const string MellatIban = "IR370120000000003141592653";
    // Valid check digits, but 999 is no bank Havale knows.
    private const string UnknownBankIban = "IR279990000000000000000000";

    [Fact]
    public void thirteen_digits_are_a_host_deposit_paid_internally()
    {
        var account = ParseAssert.Accepted<DestinationAccount>(DestinationAccount.TryParse, DestinationAccount.Parse, HostDeposit);

        Assert.Equal(TransferType.Internal, account.TransferType);
        Assert.Equal(DepositNumber.Parse(HostDeposit), account.Deposit);
        Assert.Null(account.PayaIban);
        Assert.False(account.IsWrittenAsIban);
    }

    [Fact]
    public void a_host_bank_iban_is_the_same_deposit_paid_internally_but_written_as_an_iban()
    {
        var account = ParseAssert.Accepted<DestinationAccount>(DestinationAccount.TryParse, DestinationAccount.Parse, HostDepositIban);

        Assert.Equal(TransferType.Internal, account.TransferType);
        Assert.Equal(DepositNumber.Parse(HostDeposit), account.Deposit);
        Assert.Null(account.PayaIban);
        Assert.True(account.IsWrittenAsIban);
    }

    [Fact]
    public void another_known_banks_iban_is_paid_by_paya()
    {
        var account = ParseAssert.Accepted<DestinationAccount>(DestinationAccount.TryParse, DestinationAccount.Parse, MellatIban);

        Assert.Equal(TransferType.Paya, account.TransferType);
        Assert.Null(account.Deposit);
        Assert.Equal(Iban.Parse(MellatIban), account.PayaIban);
        Assert.True(account.IsWrittenAsIban);
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("020164836100", "must be a 13-digit deposit or an IBAN")] // 12 digits
    [InlineData("02016483610071", "must be a 13-digit deposit or an IBAN")] // 14 digits
    [InlineData("020164836100A", "must be a 13-digit deposit or an IBAN")]
    [InlineData("IR370120000000003141592654", "must be a 13-digit deposit or an IBAN")] // wrong check digits
    [InlineData(HostIbanWithoutDeposit, "is a host-bank IBAN that holds no deposit number")]
    [InlineData(UnknownBankIban, "is an IBAN of a bank Havale does not know")]
    public void a_number_that_is_neither_a_host_deposit_nor_a_known_iban_is_refused_with_a_reason(string? text, string expectedError) =>
        ParseAssert.Refused<DestinationAccount>(DestinationAccount.TryParse, DestinationAccount.Parse, text, expectedError);
}
