using Havale.Api.Features.Inquiry;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Features.SignatoryConsole;

namespace Havale.Api.Features;

public static class FeaturesSetup
{
    public static IServiceCollection AddHavaleFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        var polOptions = configuration.GetSection(PolOptions.Section).Get<PolOptions>() ?? new PolOptions();
        polOptions.Validate();
        services.AddSingleton(polOptions);
        services.AddScoped<AccountLookup>();
        services.AddHavaleConsole();
        return services;
    }

    public static WebApplication MapHavaleFeatures(this WebApplication app)
    {
        app.MapInstantPayment();
        app.MapIbanInquiry();
        app.MapPolInquiry();
        app.MapTransactionInquiry();
        app.MapPaymentOrders();
        app.MapConsole();
        return app;
    }
}
