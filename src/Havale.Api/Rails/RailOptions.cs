using System.Globalization;
using Havale.Domain;

namespace Havale.Api.Rails;

/// <summary>Configuration under <c>Havale:Rails</c>.</summary>
public sealed class RailOptions
{
    public const string Section = "Havale:Rails";
    public const int PolAnswerTimeoutMsMax = 60_000;

    /// <summary>Tehran time Pol reopens after its nightly closure, "HH:mm".</summary>
    public string PolReopensAt { get; set; } = "04:30";

    /// <summary>Days the bank reopens Pol later, keyed by Tehran date "yyyy-MM-dd", e.g. {"2026-11-24": "05:30"}.</summary>
    public Dictionary<string, string> PolReopensAtOn { get; set; } = [];

    /// <summary>How long a Pol payment waits for the destination bank before the outcome is declared unknown (HTTP 408).</summary>
    public int PolAnswerTimeoutMs { get; set; } = 10_000;

    /// <summary>How often, in real seconds, open holds that are due are asked about again and Paya cycles settled.</summary>
    public int ResolveIntervalSeconds { get; set; } = 5;

    public const int PolBatchesInFlightMax = 8;

    /// <summary>
    /// How many Pol batches one node applies at once (PostgreSQL; SQLite's one writer always takes one). With
    /// <see cref="PolPipelinedCommits"/> a batch holds the paying deposit's and the banks' rows only until its commit
    /// is written, not until it is on disk, so while one batch waits for the disk the next can run: three by default.
    /// Without it every batch holds those rows through its fsync and a second batch in flight mostly waits on them.
    /// </summary>
    public int PolBatchesInFlight { get; set; } = 3;

    /// <summary>
    /// PostgreSQL: a Pol batch commits without waiting for the disk, and its callers are released only once a
    /// durability barrier after it is on disk (Storage/DurabilityBarrier.cs). False: each batch's commit waits for
    /// its own fsync while holding its rows (the behaviour before pipelining, kept for comparison).
    /// </summary>
    public bool PolPipelinedCommits { get; set; } = true;

    public PolHours BuildPolHours()
    {
        var special = PolReopensAtOn.ToDictionary(
            pair => DateOnly.ParseExact(pair.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            pair => TimeOnly.ParseExact(pair.Value, "HH:mm", CultureInfo.InvariantCulture));
        return new PolHours(TimeOnly.ParseExact(PolReopensAt, "HH:mm", CultureInfo.InvariantCulture), special);
    }

    public void Validate()
    {
        if (PolAnswerTimeoutMs is < 1 or > PolAnswerTimeoutMsMax)
        {
            throw new InvalidOperationException($"{Section}:PolAnswerTimeoutMs must be 1 to {PolAnswerTimeoutMsMax}.");
        }
        if (ResolveIntervalSeconds is < 1 or > 3600)
        {
            throw new InvalidOperationException($"{Section}:ResolveIntervalSeconds must be 1 to 3600.");
        }
        if (PolBatchesInFlight is < 1 or > PolBatchesInFlightMax)
        {
            throw new InvalidOperationException($"{Section}:PolBatchesInFlight must be 1 to {PolBatchesInFlightMax}.");
        }
        try
        {
            BuildPolHours();
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{Section}:PolReopensAt and PolReopensAtOn take HH:mm times and yyyy-MM-dd dates.", exception);
        }
    }
}
