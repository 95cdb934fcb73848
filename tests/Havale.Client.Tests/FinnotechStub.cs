using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Havale.Client.Tests;

/// <summary>
/// A second gateway, on 127.0.0.1, that answers with Finnotech's documented shapes: the seeds' examples for
/// instantPayment and Kilid create (their JSON mended where the page's own has a stray comma), pyfinnotech's
/// ibanInquiry, and spec §2's token result. Its first token is "expired": the first call with it gets Finnotech's
/// 403 VALIDATION_ERROR "invalid token", as the public SDKs expect.
/// </summary>
public sealed class FinnotechStub : IAsyncDisposable
{
    private LoopbackServer? _server;
    private int _tokensIssued;

    private FinnotechStub()
    {
    }

    public Uri BaseAddress => _server!.Address;

    public static async Task<FinnotechStub> StartAsync()
    {
        var stub = new FinnotechStub();
        stub._server = await LoopbackServer.StartAsync(stub.Map);
        return stub;
    }

    public const string CustomerCode = "stub-authorization-code";

    private void Map(WebApplication app)
    {
        app.MapPost("/dev/v2/oauth2/token", async (HttpContext context) =>
        {
            if (context.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String("havale-demo:havale-demo-secret"u8.ToArray()))
            {
                return Failure(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "invalid client credentials", "token");
            }
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var grant = body!["grant_type"]!.GetValue<string>();
            var isCode = grant == "authorization_code" || body["token_type"]?.GetValue<string>() == "CODE";
            if (grant == "authorization_code" && body["code"]!.GetValue<string>() != CustomerCode)
            {
                return Failure(HttpStatusCode.BadRequest, "VALIDATION_ERROR", "invalid code", "token");
            }
            var number = Interlocked.Increment(ref _tokensIssued);
            return Json(HttpStatusCode.OK, $$"""
                {"trackId": "token-{{number}}", "result": {"value": "stub-token-{{number}}", "refreshToken": "stub-refresh-{{number}}",
                 "scopes": ["oak:iban-inquiry:get"], "lifeTime": 864000000, "creationDate": "14030918112816",
                 "type": "{{(isCode ? "CODE" : "CLIENT-CREDENTIAL")}}", "bank": "062", "userId": "0012457895",
                 "deposits": {{(isCode ? "[\"0302876732315\"]" : "[]")}}, "clientId": "havale-demo", "maxAmountPerTransaction": 50000000,
                 "monthlyCallLimitation": null}, "status": "DONE"}
                """);
        });
        app.MapGet("/oak/v2/clients/havale-demo/ibanInquiry", (HttpContext context, string trackId, string iban) =>
            Bearer(context, trackId) ?? Json(HttpStatusCode.OK, $$"""
                {"trackId": "{{trackId}}", "result": {"IBAN": "{{iban}}", "bankName": "بانک آینده", "deposit": "0302876732315",
                 "depositStatus": "02", "depositDescription": "حساب فعال است", "depositComment": "",
                 "depositOwners": [{"firstName": "محمود", "lastName": "دولت آبادی"}], "alertCode": "00"}, "status": "DONE"}
                """));
        app.MapPost("/oak/v2/clients/havale-demo/instantPayment", (HttpContext context, string trackId) =>
            Bearer(context, trackId) ?? (trackId == "same-account"
                ? Failure(HttpStatusCode.BadRequest, "VALIDATION_ERROR", "Source And destination accounts are the same!", trackId)
                // The seed's success example, as printed: flat, no state, no status.
                : Json(HttpStatusCode.OK, """
                    { "amount": 10000000 , "description": "کتاب سلوک,جای خالی سلوچ,کلیدر" , "reasonDescription": "19" ,
                      "destinationFirstname": "محمود" , "destinationLastname": "دولت آبادی" , "destinationIban": "IR120620000000302876732315" ,
                      "inquiryDate": "011217" , "inquirySequence": "1002" , "inquiryTime": "095554" , "message": " " ,
                      "sourceNumber": "0302876732315" , "originKey": "010881215232KZ745321" }
                    """)));
        app.MapPost("/keylead/v2/clients/havale-demo/users/{nid}/deposits/{deposit}/requests", (HttpContext context, string trackId) =>
            Bearer(context, trackId) ?? (trackId == "create-req-9603030098"
                ? Json(HttpStatusCode.BadRequest, """
                    { "result": { "code": 1 , "message": "invalid destination deposit" , "farsi_message": "حساب مقصد نامعتبر است" ,
                      "invalidParameter": { "amount": 1 , "description": "45216941584" , "number": "00201070797001" , "reference_code": "45216941584" } } ,
                      "status": "DONE" , "trackId": "create-req-9603030098" }
                    """)
                : Json(HttpStatusCode.OK, """
                    { "result": { "request": 75333, "number": "0201648361000", "created_date": "13950918112816", "status": "created",
                      "last_update": "13950918112816", "ceremonies": [ { "nid": "0013977801", "order": 2 } ], "note": "پرداخت آذرماه",
                      "attachment": null, "destinations": [
                        { "id": 47562151, "request": 75333, "number": "02010707872221", "amount": 185000, "name": "سیما نیمایی",
                          "description": "پرداخت قبض", "reference_code": "100023", "state": "ready", "failure_message": null,
                          "transfer_type": "paya", "ref_code": null, "trackId": null, "payment_number": "100023", "pay_date": null },
                        { "id": 47562147, "request": 75333, "number": "IR120620000000203899754000", "amount": "12000", "name": "سیما نیمایی",
                          "description": "توضیحات تراکنش", "reference_code": "548201", "state": "ready", "failure_message": null,
                          "transfer_type": "internal", "ref_code": null, "trackId": null, "payment_number": "548201", "pay_date": null } ],
                      "id": 75333 }, "status": "DONE" }
                    """)));
    }

    /// <summary>Token 1 stands for one that has expired since it was issued; any token that is not the stub's is forged.</summary>
    private static IResult? Bearer(HttpContext context, string trackId)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer stub-token-", StringComparison.Ordinal) && header != "Bearer stub-token-1"
            ? null
            : Failure(HttpStatusCode.Forbidden, "VALIDATION_ERROR", "invalid token", trackId);
    }

    private static IResult Failure(HttpStatusCode status, string code, string message, string trackId)
        => Json(status, JsonSerializer.Serialize(new { status = "FAILED", trackId, error = new { code, message } }));

    private static IResult Json(HttpStatusCode status, string json) => Results.Text(json, "application/json", System.Text.Encoding.UTF8, (int)status);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The same client, changed only in its base address, against Finnotech's documented shapes.</summary>
public sealed class FinnotechShapeTests : IAsyncLifetime
{
    private FinnotechStub _stub = null!;
    private ClientKit _kit = null!;

    public async Task InitializeAsync()
    {
        _stub = await FinnotechStub.StartAsync();
        _kit = new ClientKit(_stub.BaseAddress, TimeProvider.System);
    }

    [Fact]
    public async Task the_client_reads_finnotechs_own_examples_from_another_base_address()
    {
        Assert.Equal(IPAddress.Loopback.ToString(), _stub.BaseAddress.Host);
        var client = _kit.Client;

        var iban = await client.Pol(People.IbanInquiry).IbanInquiryAsync("IR210620000000302876732315");
        await client.Tokens.ExchangeCodeAsync("customer", FinnotechStub.CustomerCode, new Uri("http://127.0.0.1:8080/callback"), Pkce.Create().Verifier);
        var customer = HavaleCredential.Stored("customer");
        var paid = await client.Pol(customer).PayAsync(People.Payment(10_000_000), "seed-pay-1");
        var same = await Assert.ThrowsAsync<HavaleApiException>(() => client.Pol(customer).PayAsync(People.Payment(10_000_000), "same-account"));
        var kilid = client.Kilid(customer, "0012457895", "0201648361000");
        var order = await kilid.CreateOrderAsync(new OrderDraft
        {
            NationalCode = "0012457895",
            Destinations = [new OrderDestination { AmountRials = 185_000, Number = "02010707872221", Description = "پرداخت قبض" }],
        });
        var refused = await Assert.ThrowsAsync<HavaleApiException>(() => kilid.CreateOrderAsync(new OrderDraft
        {
            NationalCode = "0012457895",
            Destinations = [new OrderDestination { AmountRials = 1, Number = "00201070797001" }],
        }, "create-req-9603030098"));

        // The first client-credential token was refused as invalid; the client refreshed it and asked again.
        Assert.Equal("محمود", iban.DepositOwners.Single().FirstName);
        Assert.Equal("02", iban.DepositStatus);
        var inquiries = _kit.Faults.To("/ibanInquiry");
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.OK], inquiries.Select(call => call.Status));
        Assert.Contains("\"grant_type\":\"refresh_token\"", _kit.Faults.To("/dev/v2/oauth2/token")[1].Body, StringComparison.Ordinal);
        // The seed's answer has no state: a 200 is a payment made.
        Assert.Equal(PolOutcome.Paid, paid.Outcome);
        Assert.Equal("010881215232KZ745321", paid.OriginKey);
        Assert.Equal(new DateTimeOffset(2023, 3, 8, 9, 55, 54, TimeSpan.FromMinutes(210)), paid.Answer!.InquiredAt.Tehran);
        Assert.Equal("011217 095554", paid.Answer.InquiredAt.Text);
        Assert.Equal("VALIDATION_ERROR", same.Code);
        Assert.Equal("Source And destination accounts are the same!", same.Message);
        Assert.Equal("same-account", same.TrackId);
        Assert.Equal(75333, order.Id);
        Assert.Equal(OrderStatus.Created, order.Status);
        Assert.Equal(new DateTimeOffset(2016, 12, 8, 11, 28, 16, TimeSpan.FromMinutes(210)), order.CreatedDate.Tehran);
        Assert.Equal("13950918112816", order.CreatedDate.Text);
        Assert.Equal([185_000L, 12_000L], order.Destinations.Select(row => row.AmountRials));
        Assert.Equal([TransferType.Paya, TransferType.Internal], order.Destinations.Select(row => row.TransferType));
        Assert.Null(order.Destinations[0].PayDate.Tehran);
        Assert.Equal(1, refused.KilidRefusal!.Code);
        Assert.Equal("create-req-9603030098", refused.TrackId);
        Assert.Equal("45216941584", refused.KilidRefusal.InvalidParameter!.Value.GetProperty("reference_code").GetString());
        await _kit.LogsShouldHoldNoSecretAsync(People.IbanInquiry, customer);
    }

    public async Task DisposeAsync()
    {
        _kit.Dispose();
        await _stub.DisposeAsync();
    }
}
