using Havale.Api.Sandbox;

namespace Havale.Api.Features.Webhooks;

public static class WebhookSetup
{
    public static IServiceCollection AddHavaleWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        options.Validate();
        services.AddSingleton(options);
        // The sandbox may call a receiver on this machine; production mode only public addresses.
        services.AddSingleton(provider => new WebhookAddressRules(allowsLoopback: provider.GetRequiredService<SandboxOptions>().Enabled));
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds + 1))
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // Every connection checks the addresses it is about to use, so DNS cannot point a checked name inside later.
                ConnectCallback = provider.GetRequiredService<WebhookAddressRules>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                MaxResponseHeadersLength = 16,
            });
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<ISeedContributor, WebhookSeedContributor>();
        return services;
    }
}
