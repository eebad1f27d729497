namespace Factory.Edge.Tests.Node.Support;

/// <summary>
/// Tests that run whole edge nodes (with the simulator's OPC UA server, and some with a cloud node)
/// run one at a time: two of them side by side on a 2-core machine starved each other, and a fault
/// that raises its alarm in 20 s took over 30 s (ResilienceTests failed once so in CI).
/// </summary>
[CollectionDefinition(Name)]
public sealed class WholeNodeTests
{
    public const string Name = "whole edge nodes";
}
