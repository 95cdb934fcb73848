namespace Havale.Api.CallLog;

public static class CallLogSetup
{
    public static IServiceCollection AddHavaleCallLog(this IServiceCollection services)
    {
        services.AddSingleton<ICallerClient, RouteCallerClient>();
        return services;
    }
}
