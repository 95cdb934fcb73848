using Havale.Api.Features.Inquiry;
using Havale.Api.Features.InstantPayment;
using Havale.Api.Features.PaymentOrders;
using Havale.Api.Features.SignatoryConsole;
using Havale.Api.Features.Webhooks;

namespace Havale.Api.Features;

public static class FeaturesSetup
{
    public static IServiceCollection AddHavaleFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        var polOptions = configuration.GetSection(PolOptions.Section).Get<PolOptions>() ?? new PolOptions();
        polOptions.Validate();
        services.AddSingleton(polOptions);
        services.AddScoped<IbanLookup>();
        services.AddHavaleConsole();
        services.AddHavaleWebhooks(configuration);
        services.AddPaymentOrderExamples().AddWebhookExamples().AddInquiryExamples().AddInstantPaymentExamples();
        services.AddApiExample(new Health.HealthResult("healthy", "postgres", false));
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
        app.MapWebhooks();
        return app;
    }
}
