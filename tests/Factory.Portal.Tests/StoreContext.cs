using Bunit;
using Factory.Cloud.Alarms;
using Factory.Cloud.Commands;
using Factory.Cloud.Planning;
using Factory.Cloud.Forecasts;
using Factory.Cloud.Models;
using Factory.Cloud.Storage;
using Factory.Link;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Radzen;

namespace Factory.Portal.Tests;

/// <summary>
/// A bunit context for portal pages over a real embedded telemetry store in a temporary folder,
/// with Radzen's services, a size for its charts and an interactive renderer.
/// </summary>
public abstract class StoreContext : BunitContext
{
    private readonly string _data = Directory.CreateTempSubdirectory("factory-portal-page-").FullName;

    protected StoreContext()
    {
        Store = new EmbeddedTelemetryStore(_data, NullLogger.Instance);
        Services.AddSingleton<ITelemetryStore>(Store);
        Services.AddSingleton(TimeProvider.System);
        Registry = ModelRegistry.Open(_data, new StoredAlarmRates(Store));
        Services.AddSingleton(Registry);
        Services.AddSingleton(new AlarmBoard(Store, TimeProvider.System, NullLogger<AlarmBoard>.Instance));
        Services.AddSingleton(services => new RulForecaster(Registry, Store, Plant, TimeProvider.System, NullLogger<RulForecaster>.Instance));

        // Never started: nothing here sends commands to a line.
        Commands = new LineCommandSender(new MqttLinkOptions { Broker = new BrokerAddress("127.0.0.1", 9), ClientId = "bunit" }, TimeProvider.System, NullLoggerFactory.Instance);
        Services.AddSingleton(Commands);
        Services.AddSingleton(services => Planner = new MaintenancePlanner(_data, Plant, services.GetRequiredService<RulForecaster>(), Commands, TimeProvider.System));
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;

        // Radzen measures a chart's element in the browser; here it is given a size.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Left = 0, Top = 0, Width = 600, Height = 220 });
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected EmbeddedTelemetryStore Store { get; }

    protected ModelRegistry Registry { get; }

    protected LineCommandSender Commands { get; }

    /// <summary>The planner, once a page asked for it.</summary>
    protected MaintenancePlanner? Planner { get; private set; }

    /// <summary>The plant the forecasts are for; none unless a test sets it before rendering.</summary>
    protected Factory.Plant.Model.PlantConfig? Plant { get; set; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Planner?.Dispose();
        Commands.Dispose();
        Registry.Dispose();
        Store.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
