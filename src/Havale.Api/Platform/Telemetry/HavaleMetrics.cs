using System.Diagnostics;
using System.Diagnostics.Metrics;
using Havale.Api.Ledger;
using Havale.Api.Rails;

namespace Havale.Api.Platform.Telemetry;

/// <summary>What a payment call was, for the latency histogram's <c>operation</c> tag.</summary>
public enum PaymentOperation
{
    InstantPayment,
    KilidPay,
}

/// <summary>
/// Havale's one <see cref="Meter"/>, "Havale". Static, so that the hot path (and the Pol writer, in one line) records
/// without being handed anything; a Meter nobody listens to costs a branch per call. Recording allocates nothing:
/// the tags are two key/value structs whose values are strings made once, here, for every rail and outcome.
/// <para>Instruments (Prometheus names in docs/operations.md):</para>
/// <list type="bullet">
/// <item><c>havale.payments</c>: payments by <c>rail</c> (pol, internal, paya) and <c>outcome</c> (the rail's
/// <see cref="RailOutcome"/>: done, rejected, unknown, insufficient_funds, …). A Kilid order counts each row.</item>
/// <item><c>havale.payment.duration</c>: seconds from a payment call's handler start to its answer, by
/// <c>operation</c> and <c>outcome</c>.</item>
/// <item><c>havale.pol.batch.size</c>: payments and settlements in each Pol batch the writer committed.</item>
/// <item><c>havale.holds.open</c>, <c>havale.holds.pending</c>, <c>havale.holds.accounts</c>: see <see cref="HeldMoneyGauges"/>.</item>
/// </list>
/// </summary>
public static class HavaleMetrics
{
    public const string MeterName = "Havale";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Payments = Meter.CreateCounter<long>("havale.payments", "{payment}",
        "Payments by rail and outcome; a Kilid order counts each of its rows");

    // Buckets for calls that take milliseconds when the bank answers at once and seconds when it is slow (the bank's
    // answer timeout is a few seconds): the SDK's default buckets are for milliseconds-as-seconds and too coarse here.
    private static readonly Histogram<double> PaymentDuration = Meter.CreateHistogram("havale.payment.duration", "s",
        "Seconds from a payment call's start to its answer", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    private static readonly Histogram<long> PolBatchSize = Meter.CreateHistogram("havale.pol.batch.size", "{item}",
        "Holds and settlements in each committed Pol batch", advice: new InstrumentAdvice<long>
        {
            HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256],
        });

    private static readonly string[] RailNames = Names<RailKind>();
    private static readonly string[] OutcomeNames = Names<RailOutcome>();
    private static readonly string[] OperationNames = Names<PaymentOperation>();

    /// <summary>The last reading of <see cref="HeldMoneyGauges"/>; null until the first (so nothing is reported rather than a false 0).</summary>
    private static volatile HeldMoney? _heldMoney;

    private static readonly ObservableGauge<long> HoldsOpen = Meter.CreateObservableGauge("havale.holds.open",
        () => _heldMoney is { } held ? [new Measurement<long>(held.OpenHoldsCount)] : Array.Empty<Measurement<long>>(), "{hold}",
        "Holds no transfer resolves yet (Pol payments awaiting their bank, Paya rows awaiting their cycle), as last read");

    private static readonly ObservableGauge<long> HoldsPending = Meter.CreateObservableGauge("havale.holds.pending",
        () => _heldMoney is { } held ? [new Measurement<long>(held.PendingRials)] : Array.Empty<Measurement<long>>(), "rials",
        "Rials held by open holds (Pol payments awaiting their bank, Paya rows awaiting their cycle), as last read");

    private static readonly ObservableGauge<long> HoldsAccounts = Meter.CreateObservableGauge("havale.holds.accounts",
        () => _heldMoney is { } held ? [new Measurement<long>(held.AccountsCount)] : Array.Empty<Measurement<long>>(), "{account}",
        "Accounts with money held, as last read");

    public static void Payment(RailKind rail, RailOutcome outcome, long count = 1)
        => Payments.Add(count, new KeyValuePair<string, object?>("rail", RailNames[(int)rail]),
            new KeyValuePair<string, object?>("outcome", OutcomeNames[(int)outcome]));

    /// <summary>A payment call's latency; <paramref name="startedTimestamp"/> is <see cref="Stopwatch.GetTimestamp"/> at its start.</summary>
    public static void PaymentCall(PaymentOperation operation, RailOutcome outcome, long startedTimestamp)
        => PaymentDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("operation", OperationNames[(int)operation]),
            new KeyValuePair<string, object?>("outcome", OutcomeNames[(int)outcome]));

    public static void PolBatch(int items) => PolBatchSize.Record(items);

    public static void HeldMoneyRead(HeldMoney reading) => _heldMoney = reading;

    /// <summary>Every value of an enum as a snake_case tag, indexed by the value (the enums here number from 0 without gaps).</summary>
    private static string[] Names<TEnum>() where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var names = new string[values.Length];
        foreach (var value in values)
        {
            var index = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            Havale.Domain.Invariant.Holds(index >= 0 && index < names.Length && names[index] is null);
            names[index] = Storage.HavaleDb.ToSnakeCase(value.ToString());
        }
        return names;
    }
}

/// <summary>What <see cref="HeldMoneyGauges"/> read: the open holds, the rials they hold and the accounts holding them.</summary>
public sealed record HeldMoney(long OpenHoldsCount, long PendingRials, long AccountsCount);
