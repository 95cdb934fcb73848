namespace Havale.Api.Tests.Auth;

/// <summary>
/// A protected route as the matrix calls it: the template with {clientId}, {nid} and {deposit} where the route has
/// them, the scope it declares, and a body that would pass validation if access were allowed.
/// </summary>
public sealed record ProtectedRoute(string Method, string Template, string? Scope, string? Body = null)
{
    public bool TakesClientCredentialOnly => Scope is null;
    public bool HasNid => Template.Contains("{nid}", StringComparison.Ordinal);
    public bool HasDeposit => Template.Contains("{deposit}", StringComparison.Ordinal);

    public string Uri(string clientId, string nid = Infrastructure.Seed.DemoNid, string deposit = Infrastructure.Seed.DemoDeposit)
        => Template.Replace("{clientId}", clientId).Replace("{nid}", nid).Replace("{deposit}", deposit).Replace("{request}", "1")
               .Replace("{endpointId:long}", "1").Replace("{deliveryId:long}", "1")
           + "?trackId=m-" + Guid.NewGuid().ToString("N")[..24];

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>Every protected route of the gateway. A new feature route joins the protection matrix with one line here.</summary>
public static class ProtectedRoutes
{
    private const string Webhooks = "/havale/v1/clients/{clientId}/webhooks";

    private const string KilidRequests = "/keylead/v2/clients/{clientId}/users/{nid}/deposits/{deposit}/requests";

    /// <summary>A Kilid order from the demo deposit to another host deposit, created by its owner.</summary>
    private const string KilidOrderBody =
        "{\"destinations\": [{\"amount\": \"12000\", \"number\": \"0201648361007\"}], \"nationalCode\": \"0012345679\"}";

    public static readonly IReadOnlyList<ProtectedRoute> All =
    [
        new("POST", "/probe/v2/clients/{clientId}/pay", Scopes.InstantPayment, "{\"amount\": 5}"),
        new("GET", "/probe/v2/clients/{clientId}/read", Scopes.IbanInquiry),
        new("POST", "/probe/v2/clients/{clientId}/explode", Scopes.InstantPayment, "{}"),
        new("GET", "/probe/v2/clients/{clientId}/users/{nid}/deposits/{deposit}/balance", Scopes.KilidDepositsGet),
        new("GET", "/dev/v2/clients/{clientId}/tokens", Scopes.TokensGet),
        new("DELETE", "/dev/v2/clients/{clientId}/token", Scope: null, "{\"token\": \"not-a-token\", \"token_type\": \"CODE\"}"),
        new("POST", Webhooks + "/", Scope: null, "{\"url\": \"http://127.0.0.1:9/matrix\", \"eventTypes\": [\"pol.payment.done\"], \"enabled\": false}"),
        new("GET", Webhooks + "/", Scope: null),
        new("GET", Webhooks + "/{endpointId:long}", Scope: null),
        new("PATCH", Webhooks + "/{endpointId:long}", Scope: null, "{\"enabled\": false}"),
        new("DELETE", Webhooks + "/{endpointId:long}", Scope: null),
        new("POST", Webhooks + "/{endpointId:long}/rotate-secret", Scope: null, "{}"),
        new("GET", Webhooks + "/{endpointId:long}/deliveries", Scope: null),
        new("POST", Webhooks + "/{endpointId:long}/deliveries/{deliveryId:long}/redeliver", Scope: null, "{}"),
        new("POST", "/oak/v2/clients/{clientId}/instantPayment", Scopes.InstantPayment, """{"amount": 1000, "description": "ماتریس دسترسی", "reasonDescription": "19", "destinationFirstname": "محمود", "destinationLastname": "دولت آبادی", "destinationNumber": "IR370120000000003141592653"}"""),
        new("GET", "/oak/v2/clients/{clientId}/ibanInquiry", Scopes.IbanInquiry),
        new("GET", "/oak/v2/clients/{clientId}/polInquiry", Scopes.PolInquiry),
        new("GET", "/oak/v2/clients/{clientId}/transactionInquiry", Scopes.TransactionInquiry),
        new("POST", KilidRequests, Scopes.KilidRequestCreate, KilidOrderBody),
        new("GET", KilidRequests, Scopes.KilidRequestsGet),
        new("GET", KilidRequests + "/{request}", Scopes.KilidRequestGet),
        new("PATCH", KilidRequests + "/{request}", Scopes.KilidRequestUpdate, KilidOrderBody),
        new("DELETE", KilidRequests + "/{request}", Scopes.KilidRequestDelete, "{\"nationalCode\": \"0012345679\", \"note\": \"no longer needed\"}"),
        new("POST", KilidRequests + "/{request}/sign", Scopes.KilidRequestSign),
        new("POST", KilidRequests + "/{request}/unsign", Scopes.KilidRequestSign),
        new("POST", KilidRequests + "/{request}/pay", Scopes.KilidRequestPay),
        new("GET", "/keylead/v2/clients/{clientId}/users/{nid}/deposits", Scopes.KilidDepositsGet),
        new("GET", "/keylead/v2/clients/{clientId}/users/{nid}/deposits/{deposit}/statement", Scopes.KilidStatementGet),
        new("GET", "/keylead/v2/clients/{clientId}/{nid}/info", Scopes.KilidUserGet),
    ];
}
