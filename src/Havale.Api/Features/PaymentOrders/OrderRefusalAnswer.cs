using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Havale.Api.Features.PaymentOrders;

/// <summary>The seed's business error: HTTP 400, <c>status</c> DONE, and the offending row as <c>invalidParameter</c>.</summary>
[AnsweredWithStatus(StatusCodes.Status400BadRequest)]
public sealed record OrderRefusalResult(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("farsi_message")] string FarsiMessage,
    [property: JsonPropertyName("invalidParameter")] JsonElement? InvalidParameter);

public static class OrderAnswers
{
    public static JsonHttpResult<SuccessEnvelope<OrderRefusalResult>> Refuse(HttpContext context, DraftRefusal refusal)
    {
        var (message, farsi) = Describe(refusal.Reason);
        var result = new OrderRefusalResult((int)refusal.Reason, $"{message}: {refusal.Detail}", farsi, refusal.Offending);
        return TypedResults.Json(new SuccessEnvelope<OrderRefusalResult>(context.CallTrackId(), result), HavaleJson.Options,
            statusCode: StatusCodes.Status400BadRequest);
    }

    private static (string Message, string Farsi) Describe(OrderRefusal reason) => reason switch
    {
        OrderRefusal.InvalidDestinationNumber => ("invalid destination deposit", "حساب مقصد نامعتبر است"),
        OrderRefusal.InvalidAmount => ("invalid amount", "مبلغ نامعتبر است"),
        OrderRefusal.PayaAmountBelowMinimum => ("amount is below the Paya minimum", "مبلغ کمتر از حداقل مجاز پایا است"),
        OrderRefusal.PayaAmountAboveMaximum => ("amount is above the Paya maximum", "مبلغ بیشتر از حداکثر مجاز پایا است"),
        OrderRefusal.InvalidName => ("invalid destination name", "نام صاحب حساب مقصد نامعتبر است"),
        OrderRefusal.InvalidDescription => ("invalid description", "شرح تراکنش نامعتبر است"),
        OrderRefusal.InvalidReferenceCode => ("invalid reference code", "شناسه پرداخت نامعتبر است"),
        OrderRefusal.DestinationIsSource => ("source and destination deposits are the same", "حساب مبدا و مقصد یکسان است"),
        OrderRefusal.InvalidCeremony => ("invalid ceremony", "تشریفات نامعتبر است"),
        OrderRefusal.CeremonyNotSignatory => ("ceremony names a person who is not a signatory", "فرد تعیین شده در تشریفات امضادار حساب نیست"),
        OrderRefusal.CeremonyRepeated => ("ceremony names a person twice", "فرد تکراری در تشریفات"),
        OrderRefusal.TooFewCeremonySignatories => ("too few signatories in ceremonies", "تعداد امضاداران تشریفات کمتر از حد لازم است"),
        OrderRefusal.CreatorNotTokenPerson => ("nationalCode is not the token's person", "کد ملی با صاحب توکن یکسان نیست"),
        OrderRefusal.CreatorNotOwner => ("nationalCode may not create orders on this deposit", "کد ملی دسترسی ایجاد کننده روی حساب را ندارد"),
        OrderRefusal.SourceNotActive => ("the source deposit is not active", "حساب مبدا فعال نیست"),
        OrderRefusal.OrderNotEditable => ("the order has been signed, paid or deleted and can no longer change", "دستور پرداخت امضا، پرداخت یا حذف شده و قابل تغییر نیست"),
    };
}
