using Bunit;
using Factory.Cloud.Storage;
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
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;

        // Radzen measures a chart's element in the browser; here it is given a size.
        JSInterop.Setup<Radzen.Blazor.Rendering.Rect>("Radzen.createChart", _ => true).SetResult(new Radzen.Blazor.Rendering.Rect { Left = 0, Top = 0, Width = 600, Height = 220 });
        Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    protected EmbeddedTelemetryStore Store { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Store.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
