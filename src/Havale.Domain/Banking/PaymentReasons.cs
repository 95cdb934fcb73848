using System.Diagnostics.CodeAnalysis;

namespace Havale.Domain;

/// <summary>The Central Bank's payment purposes, in its order, numbered "1" to "19".</summary>
public static class PaymentReasons
{
    internal const string UnknownCodeError = "must be a payment reason code from 1 to 19";

    public static IReadOnlyList<PaymentReason> All { get; } =
    [
        new("1", "POSA", "Salary", "واریز حقوق"),
        new("2", "IOSP", "Insurance", "امور بیمه"),
        new("3", "HIPA", "Medical", "امور درمانی"),
        new("4", "ISAP", "Investment and stock exchange", "امور سرمایه‌گذاری و بورس"),
        new("5", "FXAP", "Foreign exchange", "امور ارزی"),
        new("6", "DRPA", "Debt repayment", "پرداخت قرض و تادیه دیون"),
        new("7", "RTAP", "Retirement", "امور بازنشستگی"),
        new("8", "MPTP", "Movable property", "معاملات اموال منقول"),
        new("9", "IMPT", "Real estate", "معاملات اموال غیرمنقول"),
        new("10", "LMAP", "Liquidity management", "مدیریت نقدینگی"),
        new("11", "CDAP", "Customs duties", "عوارض گمرکی"),
        new("12", "TCAP", "Tax", "تسویه مالیاتی"),
        new("13", "GEAC", "Other government services", "سایر خدمات دولتی"),
        new("14", "LRPA", "Loans and obligations", "تسهیلات و تعهدات"),
        new("15", "CCPA", "Collateral deposit", "تودیع وثیقه"),
        new("16", "GPAC", "General expenses", "هزینه‌های عمومی"),
        new("17", "CPAC", "Charity", "امور خیریه"),
        new("18", "GPPC", "Goods", "خرید کالا"),
        new("19", "SPAC", "Services", "خرید خدمات"),
    ];

    private static readonly Dictionary<string, PaymentReason> ByCode =
        All.ToDictionary(reason => reason.Code, StringComparer.Ordinal);

    /// <summary>
    /// Exact match only: "01" or " 1" are refused, since the code is echoed back and
    /// stored as sent.
    /// </summary>
    public static bool TryParse(string? code, [MaybeNullWhen(false)] out PaymentReason reason, out string error)
    {
        if (code is not null && ByCode.TryGetValue(code, out var found))
        {
            reason = found;
            error = "";
            return true;
        }
        reason = null;
        error = UnknownCodeError;
        return false;
    }
}
