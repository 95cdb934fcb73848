namespace Havale.Domain;

/// <summary>
/// Where a payment-order row's money goes, read from the number the caller wrote: a host deposit (an internal
/// transfer) or another bank's IBAN (Paya). <see cref="IsWrittenAsIban"/> is kept because an IBAN destination
/// must carry the holder's name and a description, even when it names a host deposit.
/// </summary>
public readonly record struct DestinationAccount(TransferType TransferType, DepositNumber? Deposit, Iban? PayaIban, bool IsWrittenAsIban)
{
    internal const string ShapeError = "must be a 13-digit deposit or an IBAN";
    internal const string HostIbanWithoutDepositError = "is a host-bank IBAN that holds no deposit number";
    internal const string UnknownBankError = "is an IBAN of a bank Havale does not know";

    /// <summary>
    /// 13 digits are a host deposit; an IBAN of the host bank is the same deposit, so it goes internal too; any other
    /// bank's IBAN goes by Paya, if the bank is one Havale knows.
    /// </summary>
    public static bool TryParse(string? text, out DestinationAccount account, out string error)
    {
        account = default;
        if (string.IsNullOrEmpty(text))
        {
            error = Parsing.Required;
            return false;
        }
        if (text is { Length: DepositNumber.Length } && DepositNumber.TryParse(text, out var deposit, out error))
        {
            account = new DestinationAccount(TransferType.Internal, deposit, null, IsWrittenAsIban: false);
            return true;
        }
        if (!Iban.TryParse(text, out var iban, out error))
        {
            error = ShapeError;
            return false;
        }
        if (iban.IsHostBank)
        {
            if (iban.HostDeposit is not { } hostDeposit)
            {
                error = HostIbanWithoutDepositError;
                return false;
            }
            account = new DestinationAccount(TransferType.Internal, hostDeposit, null, IsWrittenAsIban: true);
            return true;
        }
        if (Banks.Find(iban.BankCode) is null)
        {
            error = UnknownBankError;
            return false;
        }
        account = new DestinationAccount(TransferType.Paya, null, iban, IsWrittenAsIban: true);
        return true;
    }

    public static DestinationAccount Parse(string text) =>
        TryParse(text, out var account, out var error) ? account : throw new FormatException(error);
}
