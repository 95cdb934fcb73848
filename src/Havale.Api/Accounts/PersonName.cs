namespace Havale.Api.Accounts;

/// <summary>Bounds on a person's first or last name as Havale stores it (the Pol seed asks 2–30 characters of callers).</summary>
public static class PersonName
{
    public const int CharsMin = 2;
    public const int CharsMax = 50;
}
