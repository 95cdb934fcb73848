namespace Havale.Api.Auth;

/// <summary>
/// The token-signing keys every node shares. Why a slice names its own tables: <see cref="HavaleDb"/>.
/// </summary>
public static class AuthTables
{
    extension(HavaleDb db)
    {
        public DbSet<TokenKey> TokenKeys => db.Set<TokenKey>();
    }
}
