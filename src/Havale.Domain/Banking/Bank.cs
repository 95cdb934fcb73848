namespace Havale.Domain;

/// <summary>
/// A bank as identified by the three-digit code in characters 5-7 of its IBANs.
/// <paramref name="IsPolParticipant"/> says whether Pol (instant payment) may send to it.
/// </summary>
public sealed record Bank(string Code, string PersianName, string EnglishName, bool IsPolParticipant);
