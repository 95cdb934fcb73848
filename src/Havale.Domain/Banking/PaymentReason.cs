namespace Havale.Domain;

/// <summary>
/// A Pol payment's purpose ("بابت"). <paramref name="Code"/> is what the API carries in
/// <c>reasonDescription</c>; <paramref name="CentralBankCode"/> is the four-letter code the
/// Central Bank's rails expect.
/// </summary>
public sealed record PaymentReason(string Code, string CentralBankCode, string EnglishName, string PersianName);
