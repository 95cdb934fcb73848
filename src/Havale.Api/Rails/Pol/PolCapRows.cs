namespace Havale.Api.Rails.Pol;

/// <summary>
/// The day-cap rows of one Pol batch (pol_sender_days, pol_beneficiary_days): locked and read in key order, then
/// changed by the batch's summed deltas. One statement a table on PostgreSQL (arrays), one a row on SQLite.
/// </summary>
public static class PolCapRows
{
    // An upsert that changes nothing but returns the row: it exists afterwards, is locked, and is read, in one statement.
    private const string LockSender = """
        INSERT INTO pol_sender_days (nid, tehran_day, sent_rials) VALUES (@p0, @p1, 0)
        ON CONFLICT (nid, tehran_day) DO UPDATE SET sent_rials = pol_sender_days.sent_rials RETURNING nid, tehran_day, sent_rials
        """;

    private const string LockBeneficiary = """
        INSERT INTO pol_beneficiary_days (nid, iban, tehran_day, payments) VALUES (@p0, @p1, @p2, 0)
        ON CONFLICT (nid, iban, tehran_day) DO UPDATE SET payments = pol_beneficiary_days.payments RETURNING nid, iban, tehran_day, payments
        """;

    // The arrays are fed in key order, so rows are locked in the one order every batch on every node uses.
    private static readonly string LockSenders = "INSERT INTO pol_sender_days (nid, tehran_day, sent_rials) SELECT n, d, 0 FROM "
        + SqlDialect.Unnest("text", "text") + " AS u(n, d) "
        + "ON CONFLICT (nid, tehran_day) DO UPDATE SET sent_rials = pol_sender_days.sent_rials RETURNING nid, tehran_day, sent_rials";

    private static readonly string LockBeneficiaries = "INSERT INTO pol_beneficiary_days (nid, iban, tehran_day, payments) SELECT n, i, d, 0 FROM "
        + SqlDialect.Unnest("text", "text", "text") + " AS u(n, i, d) "
        + "ON CONFLICT (nid, iban, tehran_day) DO UPDATE SET payments = pol_beneficiary_days.payments RETURNING nid, iban, tehran_day, payments";

    private const string ChangeSender = "UPDATE pol_sender_days SET sent_rials = sent_rials + @p0 "
        + "WHERE nid = CAST(@p1 AS character(10)) AND tehran_day = CAST(@p2 AS character(10))";

    private const string ChangeBeneficiary = "UPDATE pol_beneficiary_days SET payments = payments + @p0 "
        + "WHERE nid = CAST(@p1 AS character(10)) AND iban = CAST(@p2 AS character(26)) AND tehran_day = CAST(@p3 AS character(10))";

    private static readonly string ChangeSenders = "UPDATE pol_sender_days AS s SET sent_rials = s.sent_rials + u.v FROM "
        + SqlDialect.Unnest("bigint", "text", "text") + " AS u(v, n, d) "
        + "WHERE s.nid = CAST(u.n AS character(10)) AND s.tehran_day = CAST(u.d AS character(10))";

    private static readonly string ChangeBeneficiaries = "UPDATE pol_beneficiary_days AS b SET payments = b.payments + u.v FROM "
        + SqlDialect.Unnest("integer", "text", "text", "text") + " AS u(v, n, i, d) "
        + "WHERE b.nid = CAST(u.n AS character(10)) AND b.iban = CAST(u.i AS character(26)) AND b.tehran_day = CAST(u.d AS character(10))";

    /// <summary>Locks and reads the cap rows of the given keys (creating those missing at zero), in key order.</summary>
    public static void AddLocks(SqlStep step, SqlDialect dialect, IReadOnlyCollection<(string Nid, string Day)> senderDays,
        IReadOnlyCollection<(string Nid, string Iban, string Day)> beneficiaryDays,
        Action<(string Nid, string Day), long> readSentRials, Action<(string Nid, string Iban, string Day), int> readPayments)
    {
        var senders = senderDays.Order().ToList();
        var beneficiaries = beneficiaryDays.Order().ToList();
        Action<System.Data.Common.DbDataReader> sender = reader => readSentRials((reader.GetString(0), reader.GetString(1)), reader.GetInt64(2));
        Action<System.Data.Common.DbDataReader> beneficiary =
            reader => readPayments((reader.GetString(0), reader.GetString(1), reader.GetString(2)), reader.GetInt32(3));
        if (!dialect.IsPostgres)
        {
            foreach (var (nid, day) in senders)
            {
                step.Add(LockSender, sender, nid, day);
            }
            foreach (var (nid, iban, day) in beneficiaries)
            {
                step.Add(LockBeneficiary, beneficiary, nid, iban, day);
            }
            return;
        }
        if (senders.Count > 0)
        {
            step.Add(LockSenders, sender, senders.Select(key => key.Nid).ToArray(), senders.Select(key => key.Day).ToArray());
        }
        if (beneficiaries.Count > 0)
        {
            step.Add(LockBeneficiaries, beneficiary, beneficiaries.Select(key => key.Nid).ToArray(), beneficiaries.Select(key => key.Iban).ToArray(),
                beneficiaries.Select(key => key.Day).ToArray());
        }
    }

    /// <summary>Adds the batch's summed changes to the rows <see cref="AddLocks"/> locked; keys without a change are left out.</summary>
    public static void AddChanges(SqlStep step, SqlDialect dialect, IReadOnlyDictionary<(string Nid, string Day), long> sentDeltaRials,
        IReadOnlyDictionary<(string Nid, string Iban, string Day), int> paymentsDelta)
    {
        var senders = sentDeltaRials.Where(pair => pair.Value != 0).OrderBy(pair => pair.Key).ToList();
        var beneficiaries = paymentsDelta.Where(pair => pair.Value != 0).OrderBy(pair => pair.Key).ToList();
        if (!dialect.IsPostgres)
        {
            foreach (var ((nid, day), delta) in senders)
            {
                step.Add(ChangeSender, delta, nid, day);
            }
            foreach (var ((nid, iban, day), delta) in beneficiaries)
            {
                step.Add(ChangeBeneficiary, delta, nid, iban, day);
            }
            return;
        }
        if (senders.Count > 0)
        {
            step.Add(ChangeSenders, senders.Select(pair => pair.Value).ToArray(), senders.Select(pair => pair.Key.Nid).ToArray(),
                senders.Select(pair => pair.Key.Day).ToArray());
        }
        if (beneficiaries.Count > 0)
        {
            step.Add(ChangeBeneficiaries, beneficiaries.Select(pair => pair.Value).ToArray(), beneficiaries.Select(pair => pair.Key.Nid).ToArray(),
                beneficiaries.Select(pair => pair.Key.Iban).ToArray(), beneficiaries.Select(pair => pair.Key.Day).ToArray());
        }
    }
}
