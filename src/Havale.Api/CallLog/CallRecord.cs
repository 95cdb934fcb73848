using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.CallLog;

public enum CallState
{
    /// <summary>The call has been admitted and its handler is running (or died mid-way; see the closing notes).</summary>
    InProgress,
    Completed,
    /// <summary>
    /// The gateway stopped (crashed or was killed) while the call ran, so no answer was recorded. What it did to money
    /// is in the ledger, where recovery resolves it; transaction inquiry reports it from there.
    /// </summary>
    Interrupted,
}

/// <summary>
/// One call that carried a trackId: who made it, to which route, what was asked (as a hash) and what was answered.
/// The unique (client, trackId) index is what makes a retry safe: a second row can never be written.
/// </summary>
public sealed class CallRecord
{
    /// <summary>The longest HTTP method name kept (OPTIONS is 7).</summary>
    public const int MethodCharsMax = 10;
    /// <summary>A route pattern, not a path: the longest Havale maps is under half of this.</summary>
    public const int RouteCharsMax = 200;
    public const int ContentTypeCharsMax = 100;

    public long Id { get; set; }
    public required string ClientId { get; init; }
    public required string TrackId { get; init; }
    public required string Method { get; init; }
    /// <summary>The route template, e.g. /oak/v2/clients/{clientId}/instantPayment — what was called, not with which values.</summary>
    public required string Route { get; init; }
    public required string RequestSha256 { get; init; }
    public required CallState State { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseContentType { get; set; }
    public byte[]? ResponseBody { get; set; }
    public string? ResponseSha256 { get; set; }
    public required DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset? CompletedUtc { get; set; }
    /// <summary>The node that runs (or ran) the call; null for calls logged before nodes were named.</summary>
    public string? NodeId { get; init; }
    /// <summary>
    /// Set inside the transaction that commits a write's work (routes that opt in, <see cref="CallLogMetadata.RerunsUncommittedWrites"/>):
    /// an interrupted call without it changed nothing, so a retry may run it afresh.
    /// </summary>
    public bool IsWorkCommitted { get; set; }

    /// <summary>"The same request": one home for the rule a retry is judged by (route, method and the request's bytes).</summary>
    public bool IsSameRequestAs(CallRecord other)
        => RequestSha256 == other.RequestSha256 && Route == other.Route && Method == other.Method;
}

internal sealed class CallRecordConfiguration : IEntityTypeConfiguration<CallRecord>
{
    public void Configure(EntityTypeBuilder<CallRecord> builder)
    {
        builder.ToTable("call_log");
        builder.HasKey(call => call.Id);
        builder.Property(call => call.ClientId).HasMaxLength(Limits.ClientIdCharsMax);
        builder.Property(call => call.TrackId).HasMaxLength(TrackId.LengthMax);
        builder.Property(call => call.Method).HasMaxLength(CallRecord.MethodCharsMax);
        builder.Property(call => call.Route).HasMaxLength(CallRecord.RouteCharsMax);
        builder.Property(call => call.RequestSha256).StoredAsSha256Hex();
        builder.Property(call => call.ResponseSha256).StoredAsSha256Hex();
        builder.Property(call => call.ResponseContentType).HasMaxLength(CallRecord.ContentTypeCharsMax);
        builder.Property(call => call.State).StoredByName();
        builder.HasIndex(call => new { call.ClientId, call.TrackId }).IsUnique();
        builder.Property(call => call.NodeId).HasMaxLength(GatewayNode.IdCharsMax);
        // Only calls in progress are looked up by node (a node's start, a dead node's calls): a small partial index.
        builder.HasIndex(call => call.NodeId).HasFilter("state = 'InProgress'");
    }
}
