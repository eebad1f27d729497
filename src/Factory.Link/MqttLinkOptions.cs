using MQTTnet.Protocol;

namespace Factory.Link;

/// <summary>How an <see cref="MqttLink"/> connects.</summary>
public sealed record MqttLinkOptions
{
    public required BrokerAddress Broker { get; init; }

    /// <summary>The MQTT client id: the broker keeps the session (subscriptions, queued messages) under it.</summary>
    public required string ClientId { get; init; }

    /// <summary>Topic filters subscribed after every connect, all at QoS 1.</summary>
    public IReadOnlyList<string> Subscriptions { get; init; } = [];

    /// <summary>How long the broker keeps the session while the client is away: a week by default, longer than any outage worth riding out.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    /// <summary>QoS 1 messages the broker may send before this client acknowledges them (MQTT 5 Receive Maximum).</summary>
    public ushort ReceiveMaximum { get; init; } = 1000;

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before connecting again after a failure; doubles up to <see cref="ReconnectMaximum"/>.</summary>
    public TimeSpan ReconnectMinimum { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaximum { get; init; } = TimeSpan.FromSeconds(10);

    public string? UserName { get; init; }

    public string? Password { get; init; }

    /// <summary>For an <c>mqtts://</c> broker: which certificates are accepted (the system's trust store when null).</summary>
    public BrokerTrust? Trust { get; init; }

    internal static MqttQualityOfServiceLevel Qos => MqttQualityOfServiceLevel.AtLeastOnce;
}
