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

    [Theory]
    [InlineData(HostDeposit, TransferType.Internal, HostDeposit, null, false)] // 13 digits: a host deposit
    [InlineData(HostDepositIban, TransferType.Internal, HostDeposit, null, true)] // the same deposit inside a host-bank IBAN
    [InlineData(MellatIban, TransferType.Paya, null, MellatIban, true)] // another known bank's IBAN
    public void a_destination_goes_internal_or_by_paya_as_its_number_says(string text, TransferType expectedType, string? expectedDeposit,
        string? expectedPayaIban, bool isWrittenAsIban)
    {
        var account = ParseAssert.Accepted<DestinationAccount>(DestinationAccount.TryParse, DestinationAccount.Parse, text);

        Assert.Equal(expectedType, account.TransferType);
        Assert.Equal(expectedDeposit is null ? null : DepositNumber.Parse(expectedDeposit), account.Deposit);
        Assert.Equal(expectedPayaIban is null ? null : Iban.Parse(expectedPayaIban), account.PayaIban);
        Assert.Equal(isWrittenAsIban, account.IsWrittenAsIban);
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
