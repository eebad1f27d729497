using Factory.Link;

namespace Factory.Edge.Link;

/// <summary>How an edge node reaches the cloud.</summary>
public sealed record CloudLinkOptions
{
    /// <summary>The MQTT broker the cloud listens to.</summary>
    public required BrokerAddress Broker { get; init; }

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>For an <c>mqtts://</c> broker: which certificates are accepted (the system's trust store when null).</summary>
    public Factory.Link.BrokerTrust? Trust { get; init; }

    /// <summary>Records in one MQTT message at most.</summary>
    public int MaxRecordsPerMessage { get; init; } = 500;

    /// <summary>Bytes of record bodies in one MQTT message at most (one larger record still goes alone).</summary>
    public int MaxBytesPerMessage { get; init; } = 256 * 1024;

    /// <summary>MQTT messages published and not yet acknowledged by the broker (PUBACK), at most.</summary>
    public int MaxMessagesInFlight { get; init; } = 4;

    /// <summary>Records sent and not yet acknowledged by the cloud, at most: the rest waits in the outbox.</summary>
    public int MaxInFlightRecords { get; init; } = 50_000;

    /// <summary>
    /// How long to wait for the cloud's acknowledgement before sending what is in flight again.
    /// Doubles (up to <see cref="AcknowledgementTimeoutMaximum"/>) while none comes, so that a
    /// cloud whose store is down is not flooded with copies.
    /// </summary>
    public TimeSpan AcknowledgementTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan AcknowledgementTimeoutMaximum { get; init; } = TimeSpan.FromMinutes(5);
}
