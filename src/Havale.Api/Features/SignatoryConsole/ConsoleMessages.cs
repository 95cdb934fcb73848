using Havale.Api.Features.PaymentOrders;

namespace Havale.Api.Features.SignatoryConsole;

public enum ConsoleAction
{
    Sign,
    Unsign,
    Pay,
}

/// <summary>What came of one confirmed action, carried in the address the browser is sent back to.</summary>
public sealed record ConsoleOutcome(ConsoleAction Action, SignRefusal? SignRefusal, PayRefusal? PayRefusal, bool HasOrderChanged)
{
    public bool IsDone => SignRefusal is null && PayRefusal is null && !HasOrderChanged;

    /// <summary>"sign-done", "sign-OutOfOrder", "pay-InsufficientFunds", "pay-changed": names only, never free text.</summary>
    public string Key => $"{ConsoleMessages.Slug(Action)}-{(HasOrderChanged ? "changed" : SignRefusal?.ToString() ?? PayRefusal?.ToString() ?? "done")}";

    public static ConsoleOutcome? FromKey(string? key)
    {
        if (key is null || key.Split('-') is not [var slug, var result] || ConsoleMessages.FromSlug(slug) is not { } action)
        {
            return null;
        }
        return result switch
        {
            "done" => new ConsoleOutcome(action, null, null, false),
            "changed" => new ConsoleOutcome(action, null, null, true),
            // By name only: Enum.TryParse would also take "0", a key the console never writes.
            _ when action != ConsoleAction.Pay && Enum.GetNames<SignRefusal>().Contains(result)
                => new ConsoleOutcome(action, Enum.Parse<SignRefusal>(result), null, false),
            _ when action == ConsoleAction.Pay && Enum.GetNames<PayRefusal>().Contains(result)
                => new ConsoleOutcome(action, null, Enum.Parse<PayRefusal>(result), false),
            _ => null,
        };
    }
}

/// <summary>Every word the console says about an action, in Persian; each refusal of the Kilid rules has its own sentence.</summary>
public static class ConsoleMessages
{
    public static string Slug(ConsoleAction action) => action switch
    {
        ConsoleAction.Sign => "sign",
        ConsoleAction.Unsign => "unsign",
        ConsoleAction.Pay => "pay",
    };

    public static ConsoleAction? FromSlug(string slug) => slug switch
    {
        "sign" => ConsoleAction.Sign,
        "unsign" => ConsoleAction.Unsign,
        "pay" => ConsoleAction.Pay,
        _ => null,
    };

    public static string Verb(ConsoleAction action) => action switch
    {
        ConsoleAction.Sign => "امضا",
        ConsoleAction.Unsign => "پس گرفتن امضا",
        ConsoleAction.Pay => "پرداخت",
    };

    public static string Question(ConsoleAction action) => action switch
    {
        ConsoleAction.Sign => "این دستور پرداخت را امضا می‌کنید؟",
        ConsoleAction.Unsign => "امضای خود را از این دستور پرداخت پس می‌گیرید؟",
        ConsoleAction.Pay => "این دستور پرداخت را می‌پردازید؟ همه ردیف‌ها با هم پرداخت می‌شوند یا هیچ‌کدام.",
    };

    public static string Describe(ConsoleOutcome outcome)
    {
        if (outcome.HasOrderChanged)
        {
            return "این دستور پرداخت پس از آنکه آن را دیدید تغییر کرده است؛ کاری انجام نشد. دوباره بررسی کنید.";
        }
        if (outcome.SignRefusal is { } sign)
        {
            return Describe(sign);
        }
        if (outcome.PayRefusal is { } pay)
        {
            return Describe(pay);
        }
        return outcome.Action switch
        {
            ConsoleAction.Sign => "امضای شما ثبت شد.",
            ConsoleAction.Unsign => "امضای شما پس گرفته شد.",
            ConsoleAction.Pay => "دستور پرداخت پرداخت شد: ردیف‌های داخلی انجام شدند و ردیف‌های پایا در چرخه بعدی پایا تسویه می‌شوند.",
        };
    }

    public static string Describe(SignRefusal refusal) => refusal switch
    {
        SignRefusal.OrderClosed => "این دستور پرداخت پرداخت یا حذف شده است و امضا نمی‌پذیرد.",
        SignRefusal.NotInCeremonies => "شما در تشریفات این دستور پرداخت به عنوان امضادار نیامده‌اید و نمی‌توانید آن را امضا کنید.",
        SignRefusal.OutOfOrder => "امضا پذیرفته نشد: هنوز نوبت شما نیست؛ امضادار یا امضادارانی که در تشریفات پیش از شما هستند هنوز امضا نکرده‌اند.",
        SignRefusal.NotSignedByCaller => "شما این دستور پرداخت را امضا نکرده‌اید که امضایتان را پس بگیرید.",
    };

    public static string Describe(PayRefusal refusal) => refusal switch
    {
        PayRefusal.OrderNotSigned => "این دستور پرداخت هنوز امضاهای لازم را ندارد و پرداخت نمی‌شود.",
        PayRefusal.OrderAlreadyPaid => "این دستور پرداخت پیش‌تر پرداخت شده است.",
        PayRefusal.PayerNotSignatory => "تنها امضاداران حساب می‌توانند دستورهای پرداخت آن را بپردازند.",
        PayRefusal.AmountExceedsTokenLimit => "مبلغ یکی از ردیف‌ها از سقف هر تراکنش بیشتر است؛ مبلغی جابه‌جا نشد.",
        PayRefusal.SourceNotActive => "حساب مبدا فعال نیست؛ مبلغی جابه‌جا نشد.",
        PayRefusal.DestinationNotActive => "حساب مقصد یکی از ردیف‌ها دیگر فعال نیست؛ مبلغی جابه‌جا نشد.",
        PayRefusal.InternalTransfersPaused => "انتقال داخلی از ساعت ۲۳:۵۴ تا ۰۰:۰۰ به وقت تهران متوقف است؛ مبلغی جابه‌جا نشد. پس از آن دوباره بپردازید.",
        PayRefusal.InsufficientFunds => "موجودی حساب برای کل این دستور پرداخت کافی نیست؛ مبلغی جابه‌جا نشد.",
    };
}
