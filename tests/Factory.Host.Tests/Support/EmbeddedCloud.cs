using Factory.Cloud.Hosting;
using Factory.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Factory.Host.Tests.Support;

/// <summary>A real cloud node in process: the embedded telemetry store and broker in a folder, HTTP and MQTT on free ports.</summary>
internal static class EmbeddedCloud
{
    public static async Task<WebApplication> StartAsync(string data, Factory.Plant.Model.PlantConfig? plant = null)
    {
        var cloud = CloudNode.Build(
            new CloudOptions
            {
                DataDirectory = data,
                Store = logs => new EmbeddedTelemetryStore(data, logs.CreateLogger<EmbeddedTelemetryStore>()),
                StoreDescription = "embedded",
                EmbeddedBrokerPort = 0,
                HttpPort = 0,
                Plant = plant,
            },
            NullLoggerFactory.Instance);
        await cloud.StartAsync();
        return cloud;
    }
}
