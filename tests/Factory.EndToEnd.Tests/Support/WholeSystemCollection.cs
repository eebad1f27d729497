namespace Factory.EndToEnd.Tests.Support;

/// <summary>
/// The end-to-end tests each start a plant's worth of processes (simulator, edges, cloud nodes,
/// Mosquitto, InfluxDB); on a machine of two cores they run one after the other, not together.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeSystemCollection
{
    public const string Name = "whole system";
}
