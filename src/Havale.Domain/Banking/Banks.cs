using System.Diagnostics.CodeAnalysis;

namespace Havale.Domain;

/// <summary>
/// The banks Havale knows by IBAN bank code. Pol participation follows the 15 banks named in
/// the Pol document; the host bank is not among them because Pol moves money between banks.
/// </summary>
public static class Banks
{
    public const string HostBankCode = "062"; // Ayandeh

    // Blu is Saman's digital brand and shares its code 056; Saman is listed first so that a
    // lookup by code answers with the bank, not the brand.
    public static IReadOnlyList<Bank> All { get; } =
    [
        // Pol participants, in the Pol document's order.
        new("012", "ملت", "Mellat", IsPolParticipant: true),
        new("061", "شهر", "Shahr", IsPolParticipant: true),
        new("070", "رسالت", "Resalat", IsPolParticipant: true),
        new("019", "صادرات", "Saderat", IsPolParticipant: true),
        new("056", "سامان", "Saman", IsPolParticipant: true),
        new("056", "بلو", "Blu", IsPolParticipant: true),
        new("078", "خاورمیانه", "Khavarmianeh", IsPolParticipant: true),
        new("017", "ملی", "Melli", IsPolParticipant: true),
        new("057", "پاسارگاد", "Pasargad", IsPolParticipant: true),
        new("055", "اقتصاد نوین", "Eghtesad Novin", IsPolParticipant: true),
        new("013", "رفاه", "Refah", IsPolParticipant: true),
        new("015", "سپه", "Sepah", IsPolParticipant: true),
        new("016", "کشاورزی", "Keshavarzi", IsPolParticipant: true),
        new("064", "گردشگری", "Gardeshgari", IsPolParticipant: true),
        new("069", "ایران زمین", "Iran Zamin", IsPolParticipant: true),
        // Known banks that Pol does not reach; Paya still does.
        new(HostBankCode, "آینده", "Ayandeh", IsPolParticipant: false),
        new("018", "تجارت", "Tejarat", IsPolParticipant: false),
        new("014", "مسکن", "Maskan", IsPolParticipant: false),
        new("059", "سینا", "Sina", IsPolParticipant: false),
        new("054", "پارسیان", "Parsian", IsPolParticipant: false),
        new("021", "پست بانک", "Post Bank", IsPolParticipant: false),
        new("020", "توسعه صادرات", "Tose'e Saderat", IsPolParticipant: false),
        new("011", "صنعت و معدن", "Sanat va Madan", IsPolParticipant: false),
        new("053", "کارآفرین", "Karafarin", IsPolParticipant: false),
        new("066", "دی", "Dey", IsPolParticipant: false),
        new("022", "توسعه تعاون", "Tose'e Ta'avon", IsPolParticipant: false),
        new("058", "سرمایه", "Sarmayeh", IsPolParticipant: false),
        new("073", "کوثر", "Kosar", IsPolParticipant: false),
        new("075", "ملل", "Melal", IsPolParticipant: false),
        new("060", "مهر ایران", "Mehr Iran", IsPolParticipant: false),
        new("010", "بانک مرکزی", "Central Bank", IsPolParticipant: false),
    ];

    private static readonly Dictionary<string, Bank> ByCode = IndexByCode();

    public static bool TryGet(string code, [MaybeNullWhen(false)] out Bank bank) => ByCode.TryGetValue(code, out bank);

    public static Bank? Find(string code) => ByCode.GetValueOrDefault(code);

    private static Dictionary<string, Bank> IndexByCode()
    {
        var byCode = new Dictionary<string, Bank>(StringComparer.Ordinal);
        foreach (var bank in All)
        {
            // First wins: see the note on Blu above.
            byCode.TryAdd(bank.Code, bank);
        }
        return byCode;
    }
}
