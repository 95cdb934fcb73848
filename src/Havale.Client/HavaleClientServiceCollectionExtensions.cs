using Havale.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class HavaleClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HavaleClient"/> with the HttpClient factory, its retry pipeline, an in-memory token store
    /// (register your own <see cref="IHavaleTokenStore"/> before or after to replace it) and the system clock unless a
    /// <see cref="TimeProvider"/> is registered. Returns the HttpClient's builder, for handlers of your own.
    /// </summary>
    public static IHttpClientBuilder AddHavaleClient(this IServiceCollection services, Action<HavaleClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HavaleClientOptions>().Configure(configure).Validate(options =>
        {
            options.Validate();
            return true;
        });
        services.TryAddSingleton<IHavaleTokenStore, InMemoryHavaleTokenStore>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenRefreshGate>();
        var builder = services.AddHttpClient<HavaleClient>((provider, http) =>
        {
            http.BaseAddress = provider.GetRequiredService<IOptions<HavaleClientOptions>>().Value.BaseAddress;
            // The resilience pipeline bounds each attempt and the whole call; HttpClient's own timeout would cut across it.
            http.Timeout = Timeout.InfiniteTimeSpan;
        }).AddTypedClient((http, provider) => new HavaleClient(http, provider.GetRequiredService<IOptions<HavaleClientOptions>>(),
            provider.GetRequiredService<IHavaleTokenStore>(), provider.GetRequiredService<TokenRefreshGate>(), provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<HavaleClient>>()));
        builder.AddResilienceHandler("havale", (pipeline, context) => HavaleResilience.Configure(pipeline,
            context.ServiceProvider.GetRequiredService<IOptions<HavaleClientOptions>>().Value.Retry,
            context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<HavaleClient>()));
        return builder;
    }
}
