namespace Havale.Api.Features.Webhooks;

/// <summary>The webhook routes' wire types as the OpenAPI document shows them (the secret is a made-up one).</summary>
public static class WebhookExamples
{
    private const string CreatedUtc = "2030-01-05T06:30:00.0000000+00:00";

    public static IServiceCollection AddWebhookExamples(this IServiceCollection services)
    {
        var endpoint = new WebhookEndpointView(7, "https://psp.example/havale/webhooks",
            [WebhookEventTypes.PolPaymentDone, WebhookEventTypes.KilidOrderDone], true, null, 0, null, null, CreatedUtc);
        services.AddApiExample(new WebhookEndpointBody(endpoint.Url, [.. endpoint.EventTypes], true));
        services.AddApiExample(new RotateSecretBody(86_400));
        services.AddApiExample(endpoint);
        services.AddApiExample(new WebhookEndpointWithSecret(endpoint, "whsec_c2FtcGxlLXNlY3JldC1ub3QtYS1yZWFsLW9uZQ=="));
        services.AddApiExample(new DeliveryView(31, "evt_01JGZ7ZK4W8Q", WebhookEventTypes.PolPaymentDone, "Delivered", 1, 200, 48, null,
            "2030-01-05T06:30:01.0000000+00:00", null, CreatedUtc));
        return services;
    }
}
