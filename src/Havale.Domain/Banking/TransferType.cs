namespace Havale.Domain;

/// <summary>How a payment-order row's money leaves the host bank: a transfer inside it, or Paya to another bank.</summary>
public enum TransferType
{
    Internal,
    Paya,
}
