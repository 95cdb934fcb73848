using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.Auth;

/// <summary>
/// The token-signing keys every node shares. They are extension properties, not members of <see cref="HavaleDb"/>, so
/// that Storage knows nothing of the slices above it; the tables' shapes are this slice's
/// <c>IEntityTypeConfiguration</c>s, which the model applies.
/// </summary>
public static class AuthTables
{
    extension(HavaleDb db)
    {
        public DbSet<TokenKey> TokenKeys => db.Set<TokenKey>();
    }
}
