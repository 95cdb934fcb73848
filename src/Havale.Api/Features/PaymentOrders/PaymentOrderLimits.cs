namespace Havale.Api.Features.PaymentOrders;

/// <summary>Every bound on a Kilid order, in one place; each has a test at the bound and one past it.</summary>
public static class PaymentOrderLimits
{
    /// <summary>The seed's batch order: at most 1,000 rows, which the benchmark pays in one call.</summary>
    public const int DestinationsPerOrderMax = 1_000;

    /// <summary>The Central Bank's floor for one Paya payment.</summary>
    public const long PayaAmountRialsMin = 10_000;

    /// <summary>The Central Bank's cap for one Paya payment (May 2025).</summary>
    public const long PayaAmountRialsMax = 2_000_000_000;

    /// <summary>The seed: a row's description is at most 30 characters.</summary>
    public const int DescriptionCharsMax = 30;

    /// <summary>A destination holder's full name; the seed gives no bound, so one a long Persian name fits in.</summary>
    public const int NameCharsMin = 2;
    public const int NameCharsMax = 60;

    /// <summary>The seed: reference_code is a numeric string of at most 15 characters.</summary>
    public const int ReferenceCodeDigitsMax = 15;

    /// <summary>The delete note is at most 100 characters (spec §4); the order's own note takes the same bound.</summary>
    public const int NoteCharsMax = 100;

    /// <summary>The seed: a ceremony's order is 1, 2 or 3, and 2 when not given.</summary>
    public const int CeremonyOrderMin = 1;
    public const int CeremonyOrderMax = 3;
    public const int CeremonyOrderDefault = 2;

    /// <summary>List: the search term is at most 100 characters (spec §4).</summary>
    public const int SearchCharsMax = 100;

    /// <summary>A page of orders: each order may carry 1,000 rows, so a page of 20 is already up to 20,000 rows.</summary>
    public const int OrdersPageSizeDefault = 10;
    public const int OrdersPageSizeMax = 20;

    /// <summary>A page of statement lines.</summary>
    public const int StatementPageSizeDefault = 50;
    public const int StatementPageSizeMax = 200;

    /// <summary>How far a caller may page; beyond this a narrower date range is the answer.</summary>
    public const int OffsetMax = 100_000;
}
