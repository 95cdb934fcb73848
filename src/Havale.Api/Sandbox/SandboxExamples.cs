namespace Havale.Api.Sandbox;

/// <summary>The sandbox routes' wire types as the OpenAPI document shows them: step 0 of the README's walk-through.</summary>
public static class SandboxExamples
{
    public static IServiceCollection AddSandboxExamples(this IServiceCollection services)
    {
        services.AddApiExample(new SetClockRequest("2030-01-05T10:00:00+03:30"));
        services.AddApiExample(new ClockView("2030-01-05T06:30:00.0000000+00:00", "2030-01-05T10:00:00+03:30", "14081016100000", true));
        services.AddApiExample(new BehaviourRequest("timeout", 0));
        services.AddApiExample(new BehaviourView("012", "timeout", 0));
        services.AddApiExample(new LedgerView(
        [
            new LedgerAccountView("genesis", "genesis", -10_000_000, 0),
            new LedgerAccountView("deposit:0302876732315", "deposit", 0, 0),
            new LedgerAccountView("bank:012", "bank", 10_000_000, 0),
        ], 0));
        return services;
    }
}
