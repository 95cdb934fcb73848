using System.Text.Json.Serialization;
using Havale.Api.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>The customer inquiry's answer, flat as spec §4 gives it, with Havale's <c>status</c> as instantPayment has it.</summary>
public sealed record CustomerInfoResponse(
    [property: JsonPropertyName("first_name")] string FirstName,
    [property: JsonPropertyName("last_name")] string LastName,
    [property: JsonPropertyName("nid")] string Nid,
    [property: JsonPropertyName("trackId")] string TrackId)
{
    [JsonPropertyName("status")] public string Status => "DONE";
}

public static class CustomerInfo
{
    public static async Task<JsonHttpResult<CustomerInfoResponse>> HandleAsync(HttpContext context, string nid, HavaleDb db, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(known => known.Nid == nid, cancellationToken)
                       ?? throw new ApiProblem(ErrorCode.NotFound, "no customer with this national code");
        return TypedResults.Json(new CustomerInfoResponse(customer.FirstName, customer.LastName, customer.Nid, context.CallTrackId()),
            HavaleJson.Options);
    }
}
