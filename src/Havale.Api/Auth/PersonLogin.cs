using Havale.Api.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Havale.Api.Auth;

/// <summary>
/// The national-code and password check behind every page a person signs in on (the consent page, the signatory
/// console), so that both refuse the same inputs and verify the same hash.
/// </summary>
public static class PersonLogin
{
    private static readonly PasswordHasher<string> PasswordHasher = new();

    /// <summary>
    /// The customer when the national code is valid and the password verifies; otherwise null, the same for an unknown
    /// person and a wrong password, so that a page built on it cannot confirm who is a customer.
    /// </summary>
    public static async Task<Customer?> VerifyAsync(HavaleDb db, string nid, string password, CancellationToken cancellationToken)
    {
        var customer = NationalCode.TryParse(nid, out _, out _) && password.Length is > 0 and <= AuthLimits.PasswordCharsMax
            ? await db.Customers.AsNoTracking().SingleOrDefaultAsync(known => known.Nid == nid, cancellationToken)
            : null;
        return customer is not null && PasswordHasher.VerifyHashedPassword(customer.Nid, customer.PasswordHash, password) != PasswordVerificationResult.Failed
            ? customer
            : null;
    }
}
