using System.Net;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Havale.Api.Platform.Telemetry;

/// <summary>Configuration under <c>Havale:Telemetry</c>. Everything is off by default: a gateway exports nothing it was not asked to.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Havale:Telemetry";
    public const string MetricsPath = "/metrics";

    /// <summary>Serve <see cref="MetricsPath"/> in Prometheus' text format.</summary>
    public bool Metrics { get; set; }

    /// <summary>
    /// Serve <see cref="MetricsPath"/> to callers that are not on this host. Off by default: the figures tell an outsider
    /// how much money moves and when, and a scraper on the same host (or a sidecar) needs nothing more. Behind a proxy
    /// the proxy's address is the caller: keep the path off the proxy, or turn this on and restrict it there.
    /// </summary>
    public bool MetricsFromAnyAddress { get; set; }

    /// <summary>Record traces (ASP.NET Core, Npgsql) and export them, and the metrics, over OTLP.</summary>
    public bool Tracing { get; set; }

    /// <summary>Where OTLP goes (e.g. http://127.0.0.1:4317); empty: OpenTelemetry's own default and OTEL_EXPORTER_OTLP_* variables.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the held-money gauges are read from the database (<see cref="HeldMoneyGauges"/>).</summary>
    public int HeldMoneyRefreshSeconds { get; set; } = 30;

    public const int HeldMoneyRefreshSecondsMin = 1;
    public const int HeldMoneyRefreshSecondsMax = 3_600;

    public void Validate()
    {
        if (HeldMoneyRefreshSeconds is < HeldMoneyRefreshSecondsMin or > HeldMoneyRefreshSecondsMax)
        {
            throw new InvalidOperationException(
                $"{Section}:HeldMoneyRefreshSeconds must be {HeldMoneyRefreshSecondsMin} to {HeldMoneyRefreshSecondsMax}");
        }
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"{Section}:OtlpEndpoint must be an absolute URI");
        }
    }
}

/// <summary>
/// OpenTelemetry for the gateway: Havale's own meter (<see cref="HavaleMetrics"/>), ASP.NET Core's and Npgsql's
/// instrumentation, a Prometheus scrape endpoint and OTLP export. With nothing configured no provider is registered at
/// all, and the meter's instruments, which nobody listens to, cost a branch per payment.
/// </summary>
public static class TelemetrySetup
{
    public const string ServiceName = "havale";

    public static IServiceCollection AddHavaleTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        options.Validate();
        services.AddSingleton(options);
        var isOtlpMetrics = options.Tracing && !string.IsNullOrWhiteSpace(options.OtlpEndpoint);
        if (!options.Metrics && !options.Tracing)
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        if (options.Metrics || isOtlpMetrics)
        {
            services.AddHostedService<HeldMoneyGauges>();
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(HavaleMetrics.MeterName).AddAspNetCoreInstrumentation().AddNpgsqlInstrumentation();
                if (options.Metrics)
                {
                    metrics.AddPrometheusExporter();
                }
                if (isOtlpMetrics)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = new Uri(options.OtlpEndpoint!));
                }
            });
        }
        if (options.Tracing)
        {
            telemetry.WithTracing(tracing => tracing
                // A scrape every few seconds is not a trace anyone wants.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments(TelemetryOptions.MetricsPath))
                .AddNpgsql()
                .AddOtlpExporter(otlp =>
                {
                    if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
                    {
                        otlp.Endpoint = new Uri(options.OtlpEndpoint);
                    }
                }));
        }
        return services;
    }

    public static WebApplication MapHavaleTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (options.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(TelemetryOptions.MetricsPath, meterProvider: null,
                    configureBranchedPipeline: branch => branch.Use((context, next) => IsAllowed(context, options) ? next(context) : NotFoundAsync(context)),
                    optionsName: null)
                .ExcludeFromDescription();
        }
        return app;
    }

    /// <summary>Loopback only, unless the operator said otherwise; an unknown address (no socket) is not loopback.</summary>
    private static bool IsAllowed(HttpContext context, TelemetryOptions options)
        => options.MetricsFromAnyAddress || context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>The answer to a route that does not exist, so an outsider cannot tell that this one does.</summary>
    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
