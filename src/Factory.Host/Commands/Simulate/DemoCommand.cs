using Factory.Cloud.Hosting;
using Factory.Host.Commands.Cloud;
using Factory.Host.Commands.Edge;
using Factory.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Factory.Host.Commands.Simulate;

/// <summary>
/// <c>factory demo</c>: the sample plant, simulated at 60 times real time and served over OPC UA;
/// an edge node per line reading it, with its alarm panel; and the cloud tier (embedded MQTT
/// broker, embedded telemetry store, HTTP API) the edges send to. All data under one folder. A
/// thin composition; later issues add the portal to it.
/// </summary>
public sealed class DemoCommand(IAnsiConsole console, ILoggerFactory loggerFactory) : SimulatorCommand<DemoSettings>(console)
{
    protected override Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var plantSettings = new PlantSettings { Config = settings.Config, Seed = settings.Seed };

        // A demo runs for hours: failed machines are repaired after two simulated hours, so the
        // plant keeps producing; and it starts in a shift, so that there is something to see on a Sunday.
        var (plant, options, scenarios) = PlantSetup.Load(plantSettings, DateTimeOffset.UtcNow, TimeSpan.FromHours(2));
        options = options with { Start = PlantSimulation.NextProductionTime(plant, options.Start) };
        var data = settings.Data ?? Path.Combine(EdgeCommand.RepositoryFolder() ?? ".", "data");
        return SimulateCommand.ServeAsync(
            Console,
            loggerFactory,
            plant,
            options,
            scenarios,
            settings.Acceleration,
            TimeSpan.FromSeconds(10),
            settings.DurationSeconds,
            hint: true,
            cancellationToken,
            ct => DemoTiers.StartAsync(plant, data, settings, Console, loggerFactory, ct));
    }
}

/// <summary>The demo's cloud node and edge nodes; stopped edges first, so that their last records still reach the cloud's broker.</summary>
internal sealed class DemoTiers : IAsyncDisposable
{
    private WebApplication? _cloud;
    private DemoEdges? _edges;

    public static async Task<IAsyncDisposable> StartAsync(Plant.Model.PlantConfig plant, string data, DemoSettings settings, IAnsiConsole console, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var tiers = new DemoTiers();
        var cloudData = Path.Combine(data, "cloud");
        var options = new CloudSettings { Data = cloudData, Port = settings.CloudPort, MqttPort = settings.MqttPort }.ToOptions(plant);
        try
        {
            tiers._cloud = CloudNode.Build(options, loggerFactory);
            await tiers._cloud.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            console.MarkupLineInterpolated($"[red]  cloud not started: {e.Message}[/]");
            throw;
        }

        var broker = CloudNode.BrokerOf(tiers._cloud, options);
        console.MarkupLineInterpolated($"[green]  cloud      API {CloudNode.ApiUri(tiers._cloud)}api/ingest  broker {broker}  {options.StoreDescription}[/]");
        console.MarkupLineInterpolated($"[green]  portal     {CloudNode.ApiUri(tiers._cloud)}[/]");
        if (tiers._cloud.Services.GetRequiredService<Factory.Cloud.Access.FirstRun>().TakePassword() is { } password)
        {
            console.MarkupLineInterpolated($"[yellow]  first start: portal user '{Factory.Cloud.Access.UserAccounts.FirstAdmin}', password {password} (shown this once; it is stored only as a hash)[/]");
        }

        await PutRulModelsInServiceAsync(tiers._cloud.Services.GetRequiredService<Factory.Cloud.Models.ModelRegistry>(), EdgeCommand.ModelsDirectory(), console, cancellationToken);
        tiers._edges = await DemoEdges.StartAsync(plant, Path.Combine(data, "edge"), settings.PanelPort, broker, console, loggerFactory, cancellationToken);
        return tiers;
    }

    /// <summary>
    /// The RUL packages shipped in models/ (<c>*-rul-*.fmpkg</c>), registered and put on the fleet
    /// when nothing of their id is: the cloud forecasts with them, the portal's planning recommends
    /// from them. Done as the user "demo", so the models page's audit says who.
    /// </summary>
    private static async Task PutRulModelsInServiceAsync(Factory.Cloud.Models.ModelRegistry registry, string models, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var inService = new List<string>();
        foreach (var path in Directory.Exists(models) ? Directory.GetFiles(models, "*-rul-*" + Ml.Packages.ModelPackage.FileExtension).Order(StringComparer.Ordinal).ToArray() : [])
        {
            try
            {
                Factory.Cloud.Models.ModelVersionInfo registered;
                await using (var file = File.OpenRead(path))
                {
                    registered = await registry.RegisterAsync(file, Path.GetFileName(path), "demo", cancellationToken);
                }

                var summary = (await registry.ListAsync(cancellationToken)).Single(m => m.ModelId == registered.ModelId);
                if (summary.FleetVersion is null)
                {
                    await registry.PromoteToFleetAsync(registered.ModelId, registered.Version, "demo", force: false, cancellationToken);
                }

                inService.Add(registered.ModelId);
            }
            catch (Exception e) when (e is Factory.Cloud.Models.ModelRegistryException or IOException)
            {
                console.MarkupLineInterpolated($"[yellow]  {path}: not put in service: {e.Message}[/]");
            }
        }

        console.MarkupLineInterpolated($"[green]  forecasts  RUL with {(inService.Count == 0 ? "no model (none in " + models + ")" : string.Join(", ", inService))}[/]");
    }

    public async ValueTask DisposeAsync()
    {
        if (_edges is not null)
        {
            await _edges.DisposeAsync();
            _edges = null;
        }

        if (_cloud is not null)
        {
            await _cloud.StopAsync(CancellationToken.None);
            await _cloud.DisposeAsync();
            _cloud = null;
        }
    }
}
