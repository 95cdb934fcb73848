using System.Globalization;

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
    /// How many Pol batches one node applies at once (PostgreSQL; SQLite's one writer always takes one). One is the
    /// default: every batch locks the paying deposit and the banks' accounts until its commit is on disk, so a second
    /// batch in flight mostly waits on those locks, and a lone writer instead gathers everything that arrived during
    /// the commit into its next batch. More helps only when payers and banks rarely overlap, or with
    /// <see cref="PolPipelinedCommits"/>.
    /// </summary>
    public int PolBatchesInFlight { get; set; } = 1;

    /// <summary>
    /// PostgreSQL, off by default: a Pol batch commits without waiting for the disk, and its callers are released only
    /// once a durability barrier after it is on disk (Storage/DurabilityBarrier.cs). Measured slower on this project's
    /// machine (docs/design.md): PostgreSQL's WAL writer starts flushing an asynchronous commit at once, so the barrier
    /// waits for that flush and then its own.
    /// </summary>
    public bool PolPipelinedCommits { get; set; }

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
