using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Havale.Api.Platform;

/// <summary>
/// One gateway process on the shared database, and when it last said it was alive. A node's id is stable across its
/// restarts (see <see cref="NodeOptions.Id"/>), so that on start it knows which interrupted calls were its own.
/// </summary>
public sealed class GatewayNode
{
    public const int IdCharsMax = 100;

    public required string Id { get; init; }
    public required DateTimeOffset StartedUtc { get; set; }
    /// <summary>Real time, never the sandbox clock: the sandbox clock may stand still, and a node's life does not.</summary>
    public required DateTimeOffset HeartbeatUtc { get; set; }
}

internal sealed class GatewayNodeConfiguration : IEntityTypeConfiguration<GatewayNode>
{
    public void Configure(EntityTypeBuilder<GatewayNode> builder)
    {
        builder.ToTable("gateway_nodes");
        builder.HasKey(node => node.Id);
        builder.Property(node => node.Id).HasMaxLength(GatewayNode.IdCharsMax);
    }
}

/// <summary>Havale:Node: who this node is, how often it says so, and when silence means it is gone.</summary>
public sealed class NodeOptions
{
    public const string Section = "Havale:Node";

    /// <summary>
    /// The node's name on the database. Default: the host's name and the port it listens on, which a restart keeps
    /// and which two gateways on one host do not share. Set it when that is not true (a container whose host name
    /// changes on every start, or two nodes on one host and port in different network namespaces).
    /// </summary>
    public string? Id { get; set; }

    public int HeartbeatSeconds { get; set; } = 1;

    /// <summary>
    /// A node silent this long is gone: its in-progress calls are interrupted and its holds recovered by the others.
    /// With one beat a second, a gone node's calls are interrupted within about 7 s, inside the 10 s a retry waits for
    /// a call in progress (Limits.CallInProgressWaitMillisecondsMax), so a retry sent to another node is answered.
    /// </summary>
    public int DeadAfterSeconds { get; set; } = 6;

    public void Validate()
    {
        if (HeartbeatSeconds is < 1 or > 60)
        {
            throw new InvalidOperationException($"{Section}:HeartbeatSeconds must be 1 to 60");
        }
        if (DeadAfterSeconds < 3 * HeartbeatSeconds || DeadAfterSeconds > 3_600)
        {
            throw new InvalidOperationException($"{Section}:DeadAfterSeconds must be at least three heartbeats and at most 3600");
        }
        if (Id is { Length: 0 or > GatewayNode.IdCharsMax })
        {
            throw new InvalidOperationException($"{Section}:Id must be 1 to {GatewayNode.IdCharsMax} characters");
        }
    }
}

/// <summary>This node's identity and the database's list of nodes, read by the call log (whose calls) and recovery (whose holds).</summary>
public sealed class GatewayNodes(NodeOptions options, string nodeId)
{
    /// <summary>Real time for heartbeats (see <see cref="GatewayNode.HeartbeatUtc"/>).</summary>
    private static readonly TimeProvider RealTime = TimeProvider.System;

    public string Id { get; } = nodeId;

    public NodeOptions Options { get; } = options;

    /// <summary>Says this node is alive; inserts its row on the first beat of a new node.</summary>
    public async Task BeatAsync(HavaleDb db, bool isStart, CancellationToken cancellationToken)
    {
        var now = RealTime.GetUtcNow();
        var updated = isStart
            ? await db.Set<GatewayNode>().Where(node => node.Id == Id)
                .ExecuteUpdateAsync(update => update.SetProperty(node => node.HeartbeatUtc, now).SetProperty(node => node.StartedUtc, now), cancellationToken)
            : await db.Set<GatewayNode>().Where(node => node.Id == Id)
                .ExecuteUpdateAsync(update => update.SetProperty(node => node.HeartbeatUtc, now), cancellationToken);
        if (updated == 0)
        {
            db.Set<GatewayNode>().Add(new GatewayNode { Id = Id, StartedUtc = now, HeartbeatUtc = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Inserted a moment ago by this node's previous beat on another connection; the next beat updates it.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Nodes heard from within <see cref="NodeOptions.DeadAfterSeconds"/>, this one always among them.</summary>
    public async Task<HashSet<string>> LiveIdsAsync(HavaleDb db, CancellationToken cancellationToken)
    {
        var cutoff = RealTime.GetUtcNow() - TimeSpan.FromSeconds(Options.DeadAfterSeconds);
        var live = await db.Set<GatewayNode>().AsNoTracking().Where(node => node.HeartbeatUtc >= cutoff).Select(node => node.Id)
            .ToListAsync(cancellationToken);
        return new HashSet<string>(live.Append(Id), StringComparer.Ordinal);
    }

    /// <summary>Nodes not heard from within <see cref="NodeOptions.DeadAfterSeconds"/>.</summary>
    public async Task<List<string>> DeadIdsAsync(HavaleDb db, CancellationToken cancellationToken)
    {
        var cutoff = RealTime.GetUtcNow() - TimeSpan.FromSeconds(Options.DeadAfterSeconds);
        return await db.Set<GatewayNode>().AsNoTracking().Where(node => node.HeartbeatUtc < cutoff && node.Id != Id).Select(node => node.Id)
            .ToListAsync(cancellationToken);
    }

    public static GatewayNodes Create(IConfiguration configuration)
    {
        var options = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        options.Validate();
        var id = options.Id ?? DefaultId(configuration);
        Invariant.Holds(id.Length is > 0 and <= GatewayNode.IdCharsMax);
        return new GatewayNodes(options, id);
    }

    /// <summary>The host's name and the listening port (from --urls), which a restart keeps and two nodes on one host do not share.</summary>
    private static string DefaultId(IConfiguration configuration)
    {
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? "";
        var port = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(url => Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal),
                UriKind.Absolute, out var uri) ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .FirstOrDefault(found => found is not null) ?? "5080";
        var host = Environment.MachineName;
        return $"{(host.Length > 80 ? host[..80] : host)}:{port}";
    }
}

/// <summary>The shared Data Protection key ring's table, named like Havale's own.</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> builder)
        => builder.ToTable("data_protection_keys");
}
