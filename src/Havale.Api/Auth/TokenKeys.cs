using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.IdentityModel.Tokens;

namespace Havale.Api.Auth;

public enum TokenKeyPurpose
{
    /// <summary>RSA key that signs access tokens (clients read them, so they are signed, not encrypted).</summary>
    Signing,
    /// <summary>AES key that encrypts authorization codes and refresh tokens, which only Havale reads.</summary>
    Encryption,
}

/// <summary>
/// A key of the authorization server, kept in the database so that it survives restarts and every node serving the
/// same database issues and accepts the same tokens. The key material never appears in the repository or in a log.
/// </summary>
public sealed class TokenKey
{
    /// <summary>A key's stored material: a PKCS#8 PEM of an RSA key of 4,096 bits is under 3,300 characters.</summary>
    public const int MaterialCharsMax = 8_000;

    public required TokenKeyPurpose Purpose { get; init; }
    /// <summary>PKCS#8 PEM for the RSA signing key; base64 of the raw bytes for the AES key.</summary>
    public required string Material { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
}

internal sealed class TokenKeyConfiguration : IEntityTypeConfiguration<TokenKey>
{
    public void Configure(EntityTypeBuilder<TokenKey> builder)
    {
        builder.ToTable("token_keys");
        builder.HasKey(key => key.Purpose);
        builder.Property(key => key.Purpose).StoredByName();
        builder.Property(key => key.Material).HasMaxLength(TokenKey.MaterialCharsMax);
    }
}

/// <summary>The keys in use, loaded once at start (after migrations) and handed to OpenIddict's options.</summary>
public sealed class TokenKeys
{
    private const int RsaKeyBits = 2048;
    private const int AesKeyBytes = 32;

    private SecurityKey? _signing;
    private SecurityKey? _encryption;

    public SecurityKey Signing => _signing ?? throw NotLoaded();
    public SecurityKey Encryption => _encryption ?? throw NotLoaded();

    /// <summary>
    /// Reads both keys, creating any that is missing. Two nodes starting at once may both try to create one: the
    /// primary key on the purpose lets only one insert win, and the loser reads the winner's key.
    /// </summary>
    public async Task LoadAsync(IDbContextFactory<HavaleDb> factory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var signing = await LoadOrCreateAsync(factory, TokenKeyPurpose.Signing, clock, NewRsaMaterial, cancellationToken);
        var encryption = await LoadOrCreateAsync(factory, TokenKeyPurpose.Encryption, clock,
            () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(AesKeyBytes)), cancellationToken);

        var rsa = RSA.Create();
        rsa.ImportFromPem(signing);
        // The key id is derived from the public key, so every node names the same key the same way in the JWT header.
        var publicKeyHash = SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());
        _signing = new RsaSecurityKey(rsa) { KeyId = Convert.ToHexStringLower(publicKeyHash)[..16] };
        _encryption = new SymmetricSecurityKey(Convert.FromBase64String(encryption));
    }

    private static string NewRsaMaterial()
    {
        using var rsa = RSA.Create(RsaKeyBits);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static async Task<string> LoadOrCreateAsync(IDbContextFactory<HavaleDb> factory, TokenKeyPurpose purpose, TimeProvider clock,
        Func<string> create, CancellationToken cancellationToken)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.TokenKeys.AsNoTracking().SingleOrDefaultAsync(key => key.Purpose == purpose, cancellationToken);
            if (existing is not null)
            {
                return existing.Material;
            }
            db.TokenKeys.Add(new TokenKey { Purpose = purpose, Material = create(), CreatedUtc = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another node inserted its key first; fall through and use that one.
            }
        }
        await using var reread = await factory.CreateDbContextAsync(cancellationToken);
        return (await reread.TokenKeys.AsNoTracking().SingleAsync(key => key.Purpose == purpose, cancellationToken)).Material;
    }

    private static InvalidOperationException NotLoaded()
        => new("Token keys are not loaded; AuthSetup.LoadTokenKeysAsync runs at start, after migrations.");
}
