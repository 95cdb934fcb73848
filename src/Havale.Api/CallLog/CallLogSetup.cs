namespace Havale.Api.CallLog;

public static class CallLogSetup
{
    public static IServiceCollection AddHavaleCallLog(this IServiceCollection services)
    {
        // The caller is found by Auth (TokenCallerClient): no token, no log.
        return services;
    }
}
