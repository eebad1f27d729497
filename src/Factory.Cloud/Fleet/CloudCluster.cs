namespace Factory.Cloud.Fleet;

/// <summary>
/// How a cloud node joins the cloud's Akka.Cluster: where it listens for the other nodes and
/// which nodes it contacts first. Without seeds the node is a cluster of one (the demo's case).
/// </summary>
public sealed record CloudCluster
{
    /// <summary>The actor system's name: every node of one cloud must use it (seed addresses name it).</summary>
    public const string SystemName = "factory-cloud";

    /// <summary>The address the node listens on for the cluster.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Its port; 0 picks a free one (only for a cluster of one, or a node that is never a seed).</summary>
    public int Port { get; init; }

    /// <summary>The host name other nodes reach this one by, when it differs from <see cref="Host"/> (0.0.0.0, NAT).</summary>
    public string? PublicHost { get; init; }

    /// <summary>The seed nodes, <c>akka.tcp://factory-cloud@host:port</c>; empty: this node forms a cluster of its own.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>
    /// How long the split-brain resolver waits for the membership to be stable before it downs the
    /// unreachable side (keep-majority). Shorter moves a dead node's machines sooner; too short
    /// risks downing a node that only paused.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a question to a machine's entity may take, including a move and a rebuild.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A seed address of a node listening on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static string SeedAddress(string host, int port) => $"akka.tcp://{SystemName}@{host}:{port}";
}
