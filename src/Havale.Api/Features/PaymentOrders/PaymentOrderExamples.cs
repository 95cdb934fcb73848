using System.Text.Json;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>
/// Kilid's wire types as the OpenAPI document shows them: the README's walk-through order of علی رضایی's deposit,
/// one internal row and one Paya row, signed by سارا کریمی and نرگس حسینی.
/// </summary>
public static class PaymentOrderExamples
{
    private const string Deposit = "0201648361007";
    private const string Ali = "0023456787";
    private const string Sara = "0123456789";
    private const string Narges = "4400000011";

    public static IServiceCollection AddPaymentOrderExamples(this IServiceCollection services)
    {
        services.AddApiExample(new OrderBody(
            [
                Json("""{"amount":"12000000","description":"حقوق آذر","number":"0302876732315","reference_code":"548201"}"""),
                Json("""{"amount":25000000,"description":"پرداخت قبض","number":"IR060180000000003141614643","name":"منیرو روانی‌پور","reference_code":"100023"}"""),
            ],
            [Json($$"""{"nid":"{{Sara}}","order":1}"""), Json($$"""{"nid":"{{Narges}}","order":2}""")],
            "پرداخت آذرماه", Ali));
        services.AddApiExample(Order);
        services.AddApiExample(new OrderRefusalResult((int)OrderRefusal.InvalidDestinationNumber,
            "invalid destination deposit: number: must be 13 digits or an IBAN", "حساب مقصد نامعتبر است",
            Json("""{"amount":"12000000","description":"حقوق آذر","number":"03028767","reference_code":"548201"}""")));
        services.AddApiExample(new DeleteOrderBody(Ali, "دیگر لازم نیست"));
        services.AddApiExample(new DeleteOrderResult(1, "success"));
        services.AddApiExample(new ActiveDepositsResult([new ActiveDepositView(Deposit, DepositNumber.Parse(Deposit).ToIban().Value, "active", 2, true, true)]));
        services.AddApiExample(new StatementResult(
        [
            new StatementEntry("14081016100000", -12_000_000, 19_988_000_000, "حقوق آذر", "IN2c4f9a1e7b3d", "walkthrough-pay-order-1"),
        ]));
        services.AddApiExample(new CustomerInfoResponse("علی", "رضایی", Ali, EnvelopeDocs.ExampleTrackId));
        return services;
    }

    private static OrderView Order => new()
    {
        Request = 1,
        Number = Deposit,
        CreatedDate = "14081016100000",
        Status = "signed",
        LastUpdate = "14081016101500",
        Ceremonies = [new CeremonyView(Sara, 1), new CeremonyView(Narges, 2)],
        Note = "پرداخت آذرماه",
        Destinations =
        [
            Row(1, "0302876732315", 12_000_000, null, "حقوق آذر", "548201", "internal"),
            Row(2, "IR060180000000003141614643", 25_000_000, "منیرو روانی‌پور", "پرداخت قبض", "100023", "paya"),
        ],
        History =
        [
            new HistoryView { Nid = Ali, Date = "14081016100000", Description = "پرداخت آذرماه", Action = "create", FirstName = "علی", LastName = "رضایی" },
            new HistoryView { Nid = Sara, Date = "14081016101000", Description = null, Action = "sign", FirstName = "سارا", LastName = "کریمی" },
            new HistoryView { Nid = Narges, Date = "14081016101500", Description = null, Action = "sign", FirstName = "نرگس", LastName = "حسینی" },
        ],
        Signs =
        [
            new SignView { Nid = Sara, FirstName = "سارا", LastName = "کریمی", Date = "14081016101000" },
            new SignView { Nid = Narges, FirstName = "نرگس", LastName = "حسینی", Date = "14081016101500" },
        ],
    };

    private static DestinationView Row(long id, string number, long amountRials, string? name, string description, string referenceCode,
        string transferType) => new()
    {
        Id = id,
        Request = 1,
        Number = number,
        Amount = amountRials,
        Name = name,
        Description = description,
        ReferenceCode = referenceCode,
        State = "ready",
        FailureMessage = null,
        TransferType = transferType,
        RefCode = null,
        TrackId = null,
        PayDate = null,
    };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
