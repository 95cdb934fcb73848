using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Storage;

/// <summary>
/// How the values every slice stores alike are kept, in one place: a national code or a deposit number as exactly the
/// digits its domain type has, an enum by its name. Each slice's configuration calls these; a change here changes
/// every table that stores such a value, so it needs a migration.
/// </summary>
public static class StoredColumns
{
    /// <summary>Enums are stored by name (readable in SQL, safe from reordering); every stored enum's names fit with room to spare.</summary>
    public const int EnumNameCharsMax = 16;

    public static PropertyBuilder<TText> StoredAsNationalCode<TText>(this PropertyBuilder<TText> property)
        => property.HasMaxLength(NationalCode.Length).IsFixedLength();

    public static PropertyBuilder<TText> StoredAsDepositNumber<TText>(this PropertyBuilder<TText> property)
        => property.HasMaxLength(DepositNumber.Length).IsFixedLength();

    /// <summary>A SHA-256 written as lowercase hex.</summary>
    public const int Sha256HexChars = 64;

    public static PropertyBuilder<TText> StoredAsBankCode<TText>(this PropertyBuilder<TText> property)
        => property.HasMaxLength(Iban.BankCodeLength).IsFixedLength();

    public static PropertyBuilder<TText> StoredAsSha256Hex<TText>(this PropertyBuilder<TText> property)
        => property.HasMaxLength(Sha256HexChars).IsFixedLength();

    public static PropertyBuilder<TEnum> StoredByName<TEnum>(this PropertyBuilder<TEnum> property)
        => property.HasConversion<string>().HasMaxLength(EnumNameCharsMax);
}
