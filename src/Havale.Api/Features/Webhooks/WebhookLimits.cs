namespace Havale.Api.Features.Webhooks;

/// <summary>Every bound of the webhook feature, in one place (each has a test at it and one past it where it is an input).</summary>
public static class WebhookLimits
{
    public const int UrlCharsMax = 500;
    public const int EventTypesCharsMax = 1_000;
    public const int EndpointsPerClientMax = 10;
    /// <summary>"whsec_" and the base64 of the secret's bytes.</summary>
    public const int SecretCharsMax = 100;
    /// <summary>Standard Webhooks asks for 24 to 64 bytes; Havale makes 32.</summary>
    public const int SecretBytes = 32;
    /// <summary>"evt_" and a version 7 GUID's 32 hex digits.</summary>
    public const int EventIdChars = 36;
    public const int ErrorCharsMax = 200;
    /// <summary>The longest a rotation may keep the previous secret signing beside the new one.</summary>
    public const int RotationOverlapSecondsMax = 7 * 24 * 3600;
    public const int RotationOverlapSecondsDefault = 24 * 3600;
    public const int DeliveryLogPageMax = 100;
    /// <summary>How much of a receiver's answer is read; the rest is dropped unread (the status code is what counts).</summary>
    public const int ResponseBytesMax = 4 * 1024;
    /// <summary>Events fanned out, and deliveries claimed, per pass of the dispatcher.</summary>
    public const int BatchMax = 200;
    /// <summary>Rows per outbox INSERT on SQLite (parameters per statement are bounded there).</summary>
    public const int OutboxRowsPerInsertMax = 500;
}
