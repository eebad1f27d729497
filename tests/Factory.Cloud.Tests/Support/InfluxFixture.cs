namespace Factory.Cloud.Tests.Support;

/// <summary>One influxd per test class that uses it (xunit class fixture), started before the first test; it fails the class loudly when influxd is missing.</summary>
public sealed class InfluxFixture : InfluxProcess, IAsyncLifetime
{
    public Task InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
