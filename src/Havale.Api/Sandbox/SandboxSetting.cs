using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Sandbox;

/// <summary>A sandbox-wide setting that must survive a restart (the clock, above all).</summary>
public sealed class SandboxSetting
{
    public const string ClockKey = "clock_utc";
    public const int KeyCharsMax = 64;
    /// <summary>A setting's value as text: an instant in ISO 8601 is under 40 characters.</summary>
    public const int ValueCharsMax = 200;

    public required string Key { get; init; }
    public required string Value { get; set; }
}

internal sealed class SandboxSettingConfiguration : IEntityTypeConfiguration<SandboxSetting>
{
    public void Configure(EntityTypeBuilder<SandboxSetting> builder)
    {
        builder.ToTable("sandbox_settings");
        builder.HasKey(setting => setting.Key);
        builder.Property(setting => setting.Key).HasMaxLength(SandboxSetting.KeyCharsMax);
        builder.Property(setting => setting.Value).HasMaxLength(SandboxSetting.ValueCharsMax);
    }
}
