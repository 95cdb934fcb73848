namespace Havale.Api.Auth;

/// <summary>Every scope Havale knows (spec §2–4). A client, token or consent naming any other is refused.</summary>
public static class Scopes
{
    public const string InstantPayment = "oak:instant-payment:post";
    public const string IbanInquiry = "oak:iban-inquiry:get";
    public const string PolInquiry = "oak:pol-inquiry:get";
    public const string TransactionInquiry = "oak:transaction-inquiry:get";
    public const string KilidRequestCreate = "kilid:request:create";
    public const string KilidRequestsGet = "kilid:requests:get";
    public const string KilidRequestGet = "kilid:request:get";
    public const string KilidRequestUpdate = "kilid:request:update";
    public const string KilidRequestDelete = "kilid:request:delete";
    public const string KilidDepositsGet = "kilid:deposits:get";
    public const string KilidUserGet = "kilid:user:get";
    public const string KilidStatementGet = "kilid:statement:get";
    public const string KilidRequestSign = "kilid:request:sign";
    public const string KilidRequestPay = "kilid:request:pay";
    public const string TokensGet = "boomrang:tokens:get";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        InstantPayment, IbanInquiry, PolInquiry, TransactionInquiry,
        KilidRequestCreate, KilidRequestsGet, KilidRequestGet, KilidRequestUpdate, KilidRequestDelete,
        KilidDepositsGet, KilidUserGet, KilidStatementGet, KilidRequestSign, KilidRequestPay,
        TokensGet,
    };

    public static bool IsKilid(string scope) => scope.StartsWith("kilid:", StringComparison.Ordinal);
}
