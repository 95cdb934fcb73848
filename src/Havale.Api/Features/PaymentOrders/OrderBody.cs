using System.Text.Json;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// The body of create and edit, as the seed documents it. Rows and ceremonies are kept as the caller sent them, so
/// that a refused one can be echoed back whole as <c>invalidParameter</c>, as the seed's error example does.
/// </summary>
public sealed record OrderBody(List<JsonElement>? Destinations, List<JsonElement>? Ceremonies, string? Note, string? NationalCode);
